package org.slab4j;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slab4j.internal.config.GlobalOptions;
import org.slab4j.internal.config.Settings;
import org.slab4j.internal.page.PageConfig;
import org.slab4j.internal.report.ReportOptions;
import org.slab4j.internal.report.Reporter;
import org.slab4j.internal.slab.CacheFlags;
import org.slab4j.internal.slab.CacheHandle;
import org.slab4j.internal.slab.Kmalloc;
import org.slab4j.internal.slab.KmallocIndex;
import org.slab4j.internal.slab.NumaNodes;
import org.slab4j.internal.slab.SlabCache;
import org.slab4j.internal.slab.SlabSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SLAB allocator over native memory, modelled on Linux 5.10's {@code mm/slab.c}: typed caches of equally sized
 * objects ({@link KmemCache}), the {@code kmalloc} size classes, and {@code /proc/slabinfo}.
 *
 * <pre>
 *  createCache ─▶ KmemCache ─▶ per-thread ArrayCache ─▶ node: shared array, slabs_partial/full/free
 *                                                          └─▶ buddy page allocator ─▶ 4 MiB chunks (FFM arenas)
 * </pre>
 *
 * <pre>{@code
 * try (SlabAllocator a = SlabAllocator.builder().build()) {
 *     KmemCache points = a.createCache("point", 16, 0, Set.of(), null);
 *     MemorySegment p = points.alloc();
 *     MemorySegment buf = a.kmalloc(100);     // from kmalloc-128
 *     a.kfree(buf);
 *     points.free(p);
 *     System.out.print(a.slabinfo());
 * }
 * }</pre>
 *
 * <p>All methods are thread safe. After {@link #close()} every segment handed out is invalid (accessing it throws),
 * and every call throws {@link IllegalStateException} except the configuration and shape read-outs: {@link #name()},
 * {@link #nodes()}, {@link #memoryLimit()}, {@link #mappedBytes()} (0), {@link #isClosed()} and {@link #close()}
 * (which does nothing), {@link #kfree} of {@code null} or of {@code kmalloc(0)}'s segment (no-ops, as C's
 * {@code kfree(NULL)}), and a {@link KmemCache}'s {@code name()}, {@code canonicalName()}, {@code isAlias()},
 * {@code geometry()} and {@code objectSize()}.
 */
public final class SlabAllocator implements AutoCloseable {
    /** The global allocator, or why it could not be built: kept, so that every later call says the same. */
    private static final class Global {
        static final SlabAllocator INSTANCE;
        static final IllegalStateException FAILURE;

        static {
            SlabAllocator instance = null;
            IllegalStateException failure = null;
            try {
                instance = fromSystemProperties();
            } catch (RuntimeException e) {
                failure = new IllegalStateException("SlabAllocator.global() failed: " + e.getMessage(), e);
            }
            INSTANCE = instance;
            FAILURE = failure;
        }
    }

    private static final int MAX_NODES = 64;

    /**
     * The most CPUs an allocator counts: the kernel's largest {@code NR_CPUS} ({@code MAXSMP}). Each CPU has two
     * stripes of per-thread array caches, so a count far past the machine's only fills the heap.
     */
    public static final int MAX_CPUS = 8192;

    final SlabSystem sys;
    /** {@code sys.kmalloc}, kept here so that {@code kmalloc} and {@code kfree} reach their caches one load sooner. */
    private final Kmalloc kmalloc;
    /** {@code kmalloc}'s size-class arrays and {@code KMALLOC_MAX_SIZE}, kept here for another load less. */
    private final CacheHandle[] kmallocHandles;

    private final SlabCache[] kmallocCaches;
    private final long kmallocMaxSize;

    private final boolean global;

    private SlabAllocator(SlabSystem sys, boolean global) {
        this.sys = sys;
        this.kmalloc = sys.kmalloc;
        this.kmallocHandles = kmalloc.kmallocHandles;
        this.kmallocCaches = kmalloc.kmallocCaches;
        this.kmallocMaxSize = kmalloc.kmallocMaxSize;
        this.global = global;
    }

    /** @return a builder with the kernel's defaults */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The process-wide allocator, built on first use with the options of docs/configuration.md: each builder setting
     * under its own name, from the agent's arguments, the {@code -Dslab4j.<name>} system property or the
     * {@code SLAB4J_<NAME>} environment variable (first wins), for example {@code -Dslab4j.merge=false} or
     * {@code -Dslab4j.reportInterval=5s}. A value that cannot be read is named in a WARN on logger
     * {@code org.slab4j.config} and ignored; so is an unknown {@code slab4j.*} name.
     *
     * @return the global allocator; it cannot be closed
     * @throws IllegalStateException if the options together are out of range (the message says which); every call
     *     throws the same
     */
    public static SlabAllocator global() {
        SlabAllocator global = Global.INSTANCE;
        if (global == null) {
            throw new IllegalStateException(Global.FAILURE.getMessage(), Global.FAILURE.getCause());
        }
        return global;
    }

    private static SlabAllocator fromSystemProperties() {
        Logger log = LoggerFactory.getLogger("org.slab4j.config");
        Settings settings = Settings.current();
        Builder b = builder().name("global").jmx(true);
        GlobalOptions.configure(b, settings, log::warn);
        settings.check(log::warn);
        return b.attachReporter(new SlabAllocator(b.system(), true));
    }

    private static int checkNodes(int nodes) {
        if (nodes < 1 || nodes > MAX_NODES) {
            throw new IllegalArgumentException("nodes must be between 1 and " + MAX_NODES + ", not " + nodes);
        }
        return nodes;
    }

    /**
     * Creates a cache ({@code kmem_cache_create}), or returns an alias of an existing compatible cache exactly when
     * Linux's {@code find_mergeable} would merge them (never with a constructor, {@link SlabFlag#NO_MERGE}, a debug
     * flag, or when merging is off).
     *
     * @param name a name not used by another live cache, nor by one whose {@link KmemCache#destroy()} is under way on
     *     another thread, without white space (no-break spaces included), control or format characters: slabinfo rows
     *     are split on white space
     * @param size the object size in bytes, 1 to {@code KMALLOC_MAX_SIZE} (4 MiB with 4 KiB pages)
     * @param align 0, or a power of two up to {@code KMALLOC_MAX_SIZE}
     * @param flags creation flags; {@code null} means none (a {@code null} element is an error)
     * @param ctor the object constructor, run once per object when a slab is grown; may be {@code null}
     * @return the cache's handle
     * @throws IllegalArgumentException naming the cache when an argument is invalid
     */
    public KmemCache createCache(String name, long size, long align, Set<SlabFlag> flags, SlabCtor ctor) {
        try {
            CacheHandle h = sys.createCache(name, size, align, CacheFlags.of(flags, name), ctor);
            return new KmemCache(this, sys, h);
        } catch (RuntimeException e) {
            throw sys.closedOr(e, "cache '" + name + "'");
        }
    }

    /**
     * Creates a cache with no flags, no alignment request and no constructor.
     *
     * @see #createCache(String, long, long, Set, SlabCtor)
     */
    public KmemCache createCache(String name, long size) {
        return createCache(name, size, 0, Set.of(), null);
    }

    /**
     * Allocates from the smallest kmalloc size class that fits ({@code kmalloc}).
     *
     * @param size 0 to {@code KMALLOC_MAX_SIZE} bytes
     * @return a segment {@link #ksize} bytes long (the whole size class: the kernel lets callers use it all); for 0
     *     bytes, a zero-length segment that {@link #kfree} ignores
     * @throws IllegalArgumentException for a negative size or one over {@code KMALLOC_MAX_SIZE}
     */
    public MemorySegment kmalloc(long size) {
        return size > 0 && size <= kmallocMaxSize
                ? Kmalloc.kmalloc(kmallocHandles, kmallocCaches, KmallocIndex.index(size), false)
                : kmalloc.kmalloc(size); // 0 bytes, and the errors
    }

    /** {@code kmalloc_node}: as {@link #kmalloc}, from node {@code node}'s slabs. */
    public MemorySegment kmallocNode(long size, int node) {
        try {
            return kmalloc.kmallocNode(size, node);
        } catch (RuntimeException e) {
            throw sys.closedOr(e, "kmalloc_node");
        }
    }

    /**
     * Makes {@code node} the calling thread's home node: where its allocations come from and its frees stay local.
     * Threads get home nodes round-robin on first use otherwise.
     *
     * @throws IllegalArgumentException when the node does not exist
     */
    public void bindCurrentThread(int node) {
        try {
            sys.threadCpus.bindCurrentThread(node); // gives back the thread's arrays, which close() may unmap under it
        } catch (RuntimeException e) {
            throw sys.closedOr(e, "bindCurrentThread");
        }
    }

    /**
     * Gives the objects cached by the calling thread back to their slabs. A thread that allocates and then goes idle
     * for long (a parked pool thread) keeps up to {@code limit} free objects per cache it used until it allocates or
     * frees again or ends; calling this before going idle releases them at once. On a virtual thread it empties the
     * arrays of the thread's stripe (shared with other virtual threads) under the stripe's lock.
     */
    public void drainCurrentThread() {
        try {
            sys.threadCpus.drainCurrentThread();
        } catch (RuntimeException e) {
            throw sys.closedOr(e, "drainCurrentThread");
        }
    }

    /**
     * @return the calling thread's home node
     * @throws IllegalStateException when the allocator is closed
     */
    public int currentNode() {
        return sys.threadCpus.currentNode();
    }

    /** {@code kzalloc}: {@link #kmalloc} with the whole object zeroed. */
    public MemorySegment kzalloc(long size) {
        try {
            return kmalloc.kzalloc(size);
        } catch (RuntimeException e) {
            throw sys.closedOr(e, "kzalloc");
        }
    }

    /**
     * Frees an object of any cache of this allocator ({@code kfree}): the cache is found from the address, in O(1).
     * {@code null} and the zero-size segment are ignored.
     *
     * @throws IllegalArgumentException when the segment is not an object of this allocator
     */
    public void kfree(MemorySegment object) {
        kmalloc.kfree(object);
    }

    /** @return the usable size of an object ({@code ksize}): its cache's object size */
    public long ksize(MemorySegment object) {
        try {
            return kmalloc.ksize(object);
        } catch (RuntimeException e) {
            throw sys.closedOr(e, "ksize");
        }
    }

    /**
     * Changes a cache's per-thread tunables, as writing {@code "name limit batchcount shared"} to
     * {@code /proc/slabinfo} does ({@code do_tune_cpucache}). Threads adopt the new sizes on their next refill or
     * flush.
     *
     * @param limit 1 to 4094 (where the kernel's {@code do_tune_cpucache} fails with {@code -ENOMEM}); 8190 with 64 KiB
     *     pages
     * @param batchcount 1 to {@code limit}
     * @param shared 0 or more, with {@code shared * batchcount} at most 524286 entries ({@code KMALLOC_MAX_SIZE} of
     *     8-byte entries behind a 16-byte header: 4194302 with 64 KiB pages)
     * @throws IllegalArgumentException when no cache has that name or the values are out of range; nothing changes
     */
    public void tune(String cache, int limit, int batchcount, int shared) {
        sys.tune(cache, limit, batchcount, shared);
    }

    /**
     * @return the live caches and aliases, in creation order (the kmalloc caches included)
     * @throws IllegalStateException when the allocator is closed
     */
    public List<KmemCache> caches() {
        sys.checkOpen("caches");
        List<KmemCache> out = new ArrayList<>();
        for (CacheHandle h : sys.handles()) {
            out.add(new KmemCache(this, sys, h));
        }
        return out;
    }

    /** @return the {@code /proc/slabinfo} text (version 2.1), caches newest first; aliases have no row, as in Linux */
    public String slabinfo() {
        return sys.slabinfo();
    }

    /** @return bytes of native memory currently mapped (in whole chunks); 0 once closed */
    public long mappedBytes() {
        return sys.pages().mappedBytes();
    }

    /** @return the configured memory limit in bytes */
    public long memoryLimit() {
        return sys.pages().limit();
    }

    /** @return the number of nodes */
    public int nodes() {
        return sys.nodeCount();
    }

    /** @return whether the allocator has been closed */
    public boolean isClosed() {
        return sys.isClosed();
    }

    /**
     * Returns every page to the operating system. Every segment handed out becomes invalid; every later call throws
     * {@link IllegalStateException}, except the read-outs of configuration and shape listed in the class comment.
     * Closing twice does nothing.
     *
     * @throws UnsupportedOperationException for {@link #global()}, which lives as long as the JVM
     */
    @Override
    public void close() {
        if (global) {
            throw new UnsupportedOperationException("the global slab allocator cannot be closed");
        }
        reporter.close();
        sys.close();
    }

    /** The reports of this allocator: set once by the builder, before the allocator is handed out. */
    private volatile Reporter reporter;

    /** @return the allocator's name: in reports, JMX names and log lines */
    public String name() {
        return reporter.allocator();
    }

    /**
     * Reads the allocator's numbers, logs them (the text on logger {@code org.slab4j.report.text} at INFO, leaks
     * found since the last report at WARN, and with {@link Builder#reportJson} the JSON lines on
     * {@code org.slab4j.report.json}) and returns the text: a slabtop-style summary (objects, slabs, caches and sizes,
     * active and total; in use, cached and free), the caches that hold slabs as slabinfo 2.1 rows and, for the global
     * allocator, the {@code @Slab} types and their top allocation sites (docs/reports.md).
     *
     * @throws IllegalStateException when the allocator is closed
     */
    public String report() {
        return reporter.report();
    }

    /** Configures an allocator; every setting defaults to the kernel's value on a typical x86_64 machine. */
    public static final class Builder {
        private static final AtomicInteger COUNT = new AtomicInteger();

        private int pageSize = 4096;
        private int cacheLineSize = 64;
        private int slabMaxOrder = 1;
        private int nodes = NumaNodes.count();
        private int cpus = Runtime.getRuntime().availableProcessors();
        private boolean merge = true;
        private long memoryLimit = Long.MAX_VALUE;
        private boolean freelistRandom;
        private long randomSeed = System.nanoTime();
        private boolean initOnFree;
        private boolean statistics;
        private Duration reapInterval = Duration.ofSeconds(2);
        private Set<SlabFlag> debug = Set.of();
        private String name = "allocator-" + COUNT.incrementAndGet();
        private Duration reportInterval = Duration.ofSeconds(60);
        private boolean reportAtExit = true;
        private boolean reportJson;
        private boolean jmx;

        private Builder() {}

        /** {@code PAGE_SIZE}: a power of two from 4096 to 65536; default 4096. */
        public Builder pageSize(int bytes) {
            this.pageSize = bytes;
            return this;
        }

        /** {@code cache_line_size()}: a power of two; default 64. */
        public Builder cacheLineSize(int bytes) {
            this.cacheLineSize = bytes;
            return this;
        }

        /** {@code slab_max_order}: 0 to 10; default 1 ({@code SLAB_MAX_ORDER_HI}). */
        public Builder slabMaxOrder(int order) {
            this.slabMaxOrder = order;
            return this;
        }

        /**
         * The number of memory nodes, each with its own pages, slab lists, shared and alien caches; default: the
         * machine's NUMA node count ({@code /sys/devices/system/node}), 1 where the OS does not say.
         */
        public Builder nodes(int nodes) {
            this.nodes = nodes;
            return this;
        }

        /**
         * {@code num_possible_cpus()} for the tunables (shared arrays, free limits), 1 to {@value #MAX_CPUS}; default:
         * available processors.
         */
        public Builder cpus(int cpus) {
            this.cpus = cpus;
            return this;
        }

        /** {@code slab_nomerge} when {@code false}; default {@code true}. */
        public Builder merge(boolean merge) {
            this.merge = merge;
            return this;
        }

        /**
         * The most native memory the allocator may map, in bytes: at least one chunk of 1024 pages (4 MiB with the
         * default page size); default: no limit.
         */
        public Builder memoryLimit(long bytes) {
            this.memoryLimit = bytes;
            return this;
        }

        /** {@code CONFIG_SLAB_FREELIST_RANDOM}: hand out each new slab's objects in a random order; default off. */
        public Builder freelistRandom(boolean on) {
            this.freelistRandom = on;
            return this;
        }

        /** The seed of the freelist randomisation, for reproducible runs; default: the clock. */
        public Builder randomSeed(long seed) {
            this.randomSeed = seed;
            return this;
        }

        /**
         * {@code init_on_free}: zero every object when it is freed (not for caches with a constructor); it rules out
         * OBJFREELIST placement. Default off.
         */
        public Builder initOnFree(boolean on) {
            this.initOnFree = on;
            return this;
        }

        /**
         * Prints {@code slabinfo} in the "(statistics)" form, with the kernel's globalstat and cpustat columns. The
         * counters are kept either way (off the fast path); this only chooses the format. Default off.
         */
        public Builder statistics(boolean on) {
            this.statistics = on;
            return this;
        }

        /**
         * How often the reaper runs ({@code REAPTIMEOUT_AC}, 2 s); nodes are reaped every second pass
         * ({@code REAPTIMEOUT_NODE}, 4 s). {@link Duration#ZERO} turns the reaper off.
         */
        public Builder reapInterval(Duration interval) {
            this.reapInterval = interval;
            return this;
        }

        /**
         * The allocator's name, in reports, JMX names and log lines; default {@code allocator-<n>}. It may hold spaces,
         * but not line breaks, control or format characters, which would break or reorder those lines: {@link #build()}
         * refuses them.
         */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * How often a report is logged (see {@link SlabAllocator#report()}); {@link Duration#ZERO} for never, otherwise
         * at least 1 ms. Default 60 s.
         */
        public Builder reportInterval(Duration interval) {
            this.reportInterval = interval;
            return this;
        }

        /**
         * Whether one report is logged when the JVM exits, if the allocator is still open then: through the logging
         * while it still works, else straight to standard error (docs/reports.md). Default on.
         */
        public Builder reportAtExit(boolean on) {
            this.reportAtExit = on;
            return this;
        }

        /**
         * Whether each logged report is also logged as JSON lines, one object per line, on logger
         * {@code org.slab4j.report.json} (the schema is in docs/reports.md). Default off.
         */
        public Builder reportJson(boolean on) {
            this.reportJson = on;
            return this;
        }

        /**
         * Registers MBeans in the platform MBean server: {@code org.slab4j:type=SlabAllocator,name=<name>}, one
         * {@code org.slab4j:type=KmemCache,allocator=<name>,name=<cache>} per cache and, for
         * {@link SlabAllocator#global()}, one {@code org.slab4j:type=SlabType,allocator=global,name=<cache>} per
         * {@code @Slab} type; unregistered on {@code close()}. Default off ({@code true} for the global allocator).
         */
        public Builder jmx(boolean on) {
            this.jmx = on;
            return this;
        }

        /** Sets up the reports of {@code a}; closes {@code a}'s system if that fails. */
        private SlabAllocator attachReporter(SlabAllocator a) {
            try {
                a.reporter = Reporter.start(
                        name, a.global, a.sys, new ReportOptions(reportInterval, reportAtExit, reportJson, jmx));
            } catch (RuntimeException e) {
                a.sys.close();
                throw e;
            }
            return a;
        }

        /**
         * Debug flags for every cache, as the kernel's {@code slab_debug} boot option: {@link SlabFlag#POISON},
         * {@link SlabFlag#RED_ZONE}, {@link SlabFlag#STORE_USER} (others are ignored). A cache whose objects would not
         * fit in a slab with the debug words goes without them. Default none.
         *
         * @throws IllegalArgumentException if the set contains {@code null}
         */
        public Builder debug(Set<SlabFlag> flags) {
            if (flags != null && flags.stream().anyMatch(Objects::isNull)) {
                throw new IllegalArgumentException("debug flags contain null: " + flags);
            }
            this.debug = flags == null ? Set.of() : Set.copyOf(flags);
            return this;
        }

        /**
         * @return a new allocator, booted ({@code kmem_cache_init}) with its kmalloc caches
         * @throws IllegalArgumentException naming the setting that is out of range, or the name that cannot be used
         */
        public SlabAllocator build() {
            return attachReporter(new SlabAllocator(system(), false));
        }

        private SlabSystem system() {
            PageConfig pc = new PageConfig(pageSize, cacheLineSize, slabMaxOrder);
            checkNodes(nodes);
            if (cpus < 1 || cpus > MAX_CPUS) {
                throw new IllegalArgumentException("cpus must be between 1 and " + MAX_CPUS + ", not " + cpus);
            }
            long chunk = pc.slabBytes(PageConfig.MAX_ORDER);
            if (memoryLimit < chunk) {
                throw new IllegalArgumentException("memoryLimit must be at least one chunk (" + chunk + " bytes with "
                        + pageSize + "-byte pages), not " + memoryLimit);
            }
            if (reapInterval == null || reapInterval.isNegative()) {
                throw new IllegalArgumentException("reapInterval must be zero (off) or positive, not " + reapInterval);
            }
            return new SlabSystem(new SlabSystem.Config(
                    pc,
                    nodes,
                    cpus,
                    merge,
                    memoryLimit,
                    freelistRandom,
                    randomSeed,
                    initOnFree,
                    statistics,
                    reapInterval.toMillis(),
                    CacheFlags.of(debug)));
        }
    }
}
