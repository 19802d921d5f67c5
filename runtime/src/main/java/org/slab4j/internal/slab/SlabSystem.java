package org.slab4j.internal.slab;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slab4j.CacheStats;
import org.slab4j.FreelistMode;
import org.slab4j.SlabCtor;
import org.slab4j.SlabStatistics;
import org.slab4j.internal.event.SlabEvents;
import org.slab4j.internal.page.PageAllocator;
import org.slab4j.internal.page.PageConfig;

/**
 * The allocator's global state, as the kernel keeps it in {@code mm/slab_common.c}: the {@code slab_caches} list,
 * {@code slab_state} and {@code slab_mutex}, cache creation, merging ({@code find_mergeable}), destruction and tuning,
 * and the bootstrap of {@code kmem_cache_init}. The thread "CPUs" are in {@link ThreadCpus}, {@code kmalloc} in
 * {@link Kmalloc}, the page-to-slab map in {@link PageMap}.
 *
 * <pre>
 *  DOWN ──kmem_cache──▶ PARTIAL ──kmalloc-32 … kmalloc-4M──▶ UP ──enable_cpucache(all)──▶ FULL
 * </pre>
 *
 * <p><b>Lifecycle.</b> {@code shrink}, {@code destroy} and the reaper first retire ended threads' CPUs (each claimed
 * once), and never touch a live thread's array. {@link #close()} marks everything dead under {@code slab_mutex} and
 * unmaps every chunk (each chunk's shared arena is closed: a thread still using a segment gets FFM's
 * {@link IllegalStateException}); a call that was under way and then fails because of that gets "the allocator is
 * closed" through {@link #closedOr}. Nothing of the allocator is referenced from a thread, so a closed allocator is
 * garbage as soon as the application drops it.
 *
 * <p><b>Guards.</b> {@code slab_mutex} guards {@code slab_caches}, the handles, cache creation, destruction and tuning,
 * and each reap pass; {@link #closed} and {@code state} are volatile, written under it.
 */
public final class SlabSystem {
    /** The configuration a {@code SlabSystem} is built from. */
    public record Config(
            PageConfig pageConfig,
            int nodes,
            int cpus,
            boolean merge,
            long memoryLimit,
            boolean freelistRandom,
            long randomSeed,
            boolean initOnFree,
            boolean statistics,
            long reapIntervalMillis,
            int debugFlags) {}

    final PageConfig pc;

    final int nodeCount;
    final int cpus;
    final boolean merge;
    final boolean freelistRandom;
    final boolean initOnFree;
    final long randomSeed;
    final boolean statistics;
    /** Debug flags given to every cache, as the kernel's {@code slab_debug} boot option. */
    final int debugFlags;
    /** {@code REAPTIMEOUT_NODE}: how often a node's shared array and free slabs are reaped (twice the AC period). */
    final long nodeReapNanos;

    final PageAllocator pages;
    /** The slab of every page that holds one: how frees and {@code kfree} find an object's slab. */
    final PageMap pageMap;

    /** {@code slab_mutex}: cache creation, merging, destruction, tuning and the handle table. */
    private final ReentrantLock slabMutex = new ReentrantLock();
    /** {@code slab_caches}, oldest first. */
    private final List<SlabCache> slabCaches = new ArrayList<>();

    /**
     * The live handles (names and aliases), oldest first, and those the allocator's close killed: a destroyed handle
     * leaves, so that a program creating and destroying caches for ever does not keep every dead one with its cache
     * (a destroyed alias lives on only in its cache's {@link SlabCache#handles}, which count its allocations).
     */
    private final List<CacheHandle> handles = new ArrayList<>();

    /**
     * The names of caches whose {@code kmem_cache_destroy} is still draining (the kernel's {@code shutdown_cache} runs
     * under {@code slab_mutex}; ours outside it, see {@link #destroy}) and has not yet recorded its {@code CacheDestroy}
     * event: a cache of such a name is not created meanwhile, or its {@code CacheCreate} would be recorded first. Added
     * under {@code slab_mutex}, removed without it (a concurrent set).
     */
    private final Set<String> destroying = ConcurrentHashMap.newKeySet();

    private volatile BootState state = BootState.DOWN;
    private SlabCache kmemCache;
    /** The next id never given: see {@link #newCacheId}. Under {@code slab_mutex}. */
    private int nextCacheId;
    /** Caches created so far, for each one's freelist seed. Under {@code slab_mutex}. */
    private int created;
    /** Destroyed caches whose ids wait until no CPU holds an array of theirs ({@link #newCacheId}). Under the mutex. */
    private final List<SlabCache> idsToReuse = new ArrayList<>();

    /** The thread CPUs and stripes, and the owner's half of the reap protocol. */
    public final ThreadCpus threadCpus;
    /** {@code kmalloc}, {@code kfree}, {@code ksize}. */
    public final Kmalloc kmalloc;

    private volatile boolean closed;

    private final Thread reaper;

    /** Builds the allocator and boots it to {@link BootState#FULL}. */
    public SlabSystem(Config config) {
        this.pc = config.pageConfig();
        this.nodeCount = config.nodes();
        this.cpus = config.cpus();
        this.merge = config.merge();
        this.freelistRandom = config.freelistRandom();
        this.randomSeed = config.randomSeed();
        this.initOnFree = config.initOnFree();
        this.statistics = config.statistics();
        this.debugFlags = config.debugFlags() & CacheFlags.DEBUG;
        this.nodeReapNanos = 2 * config.reapIntervalMillis() * 1_000_000L;
        this.pages = new PageAllocator(pc, nodeCount, config.memoryLimit());
        this.pageMap = new PageMap(pc.pageShift());
        this.threadCpus = new ThreadCpus(this, cpus);
        this.kmalloc = new Kmalloc(this, pc);
        slabMutex.lock();
        try {
            kmemCacheInit();
        } finally {
            slabMutex.unlock();
        }
        reaper = config.reapIntervalMillis() > 0 ? Reaper.start(this, config.reapIntervalMillis()) : null;
    }

    /** {@code kmem_cache_init} and {@code kmem_cache_init_late}. */
    private void kmemCacheInit() {
        kmemCache = newCache("kmem_cache", CacheDescriptor.LAYOUT.byteSize(), 0, CacheFlags.HWCACHE_ALIGN, null, false);
        state = BootState.PARTIAL;
        kmemCache.descriptor = CacheDescriptor.allocate(kmemCache, kmemCache);
        for (int index : KmallocIndex.creationOrder(pc.kmallocShiftHigh())) {
            long size = KmallocIndex.size(index);
            int flags = CacheFlags.HWCACHE_ALIGN | CacheFlags.KMALLOC;
            long align = Geometry.calculateAlignment(pc, flags, Geometry.ARCH_SLAB_MINALIGN, size);
            if (Long.bitCount(size) == 1) {
                align = Math.max(align, size); // natural alignment for power-of-two kmalloc caches
            }
            SlabCache c = newCache(KmallocIndex.name(index), size, align, flags, null, false);
            kmalloc.kmallocHandles[index] = c.primary;
            kmalloc.kmallocCaches[index] = c;
            c.descriptor = CacheDescriptor.allocate(kmemCache, c);
        }
        state = BootState.UP;
        for (SlabCache c : slabCaches) {
            enableCpucache(c);
        }
        state = BootState.FULL;
    }

    /** @return how far the bootstrap has come */
    public BootState bootState() {
        return state;
    }

    /** @return the page allocator of all nodes */
    public PageAllocator pages() {
        return pages;
    }

    /** @return the number of nodes */
    public int nodeCount() {
        return nodeCount;
    }

    /** {@code nr_cpus_node}: the CPUs per node, rounded up. */
    int cpusOfNode() {
        return (cpus + nodeCount - 1) / nodeCount;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Cache creation

    /**
     * {@code kmem_cache_create}: a new cache, or an alias of a compatible existing one ({@code find_mergeable}).
     *
     * @throws IllegalArgumentException naming the cache when the arguments are invalid or the name is taken
     */
    public CacheHandle createCache(String name, long size, long align, int flags, SlabCtor ctor) {
        Names.checkCache(name);
        if (size <= 0) {
            throw new IllegalArgumentException("cache '" + name + "': size must be positive, not " + size);
        }
        if (size > pc.kmallocMaxSize()) {
            throw new IllegalArgumentException("cache '" + name + "': size " + size
                    + " exceeds the largest slab object (KMALLOC_MAX_SIZE = " + pc.kmallocMaxSize() + ")");
        }
        if (align < 0 || (align != 0 && Long.bitCount(align) != 1) || align > pc.kmallocMaxSize()) {
            throw new IllegalArgumentException("cache '" + name + "': alignment must be 0 or a power of two up to "
                    + pc.kmallocMaxSize() + " (KMALLOC_MAX_SIZE), not " + align);
        }
        String conflict = CacheFlags.initOnFreeConflict(flags, ctor != null);
        if (conflict != null) {
            throw new IllegalArgumentException("cache '" + name + "': " + conflict);
        }
        slabMutex.lock();
        try {
            checkOpen(name);
            for (CacheHandle h : handles) {
                if (h.name.equals(name) && h.deadReason == null) {
                    throw new IllegalArgumentException("cache '" + name + "': a cache of that name already exists");
                }
            }
            if (destroying.contains(name)) {
                throw new IllegalArgumentException("cache '" + name + "': a cache of that name is being destroyed"
                        + " on another thread; create it once that destroy() has returned");
            }
            SlabCache target = findMergeable(size, align, flags | debugFlags, ctor);
            if (target != null) {
                target.refcount++;
                target.raiseObjectSize(size);
                return newHandle(name, target, true);
            }
            SlabCache c = newCache(name, size, align, flags, ctor, true);
            try {
                c.descriptor = CacheDescriptor.allocate(kmemCache, c); // may meet the memory limit
                enableCpucache(c);
            } catch (RuntimeException | Error e) {
                unlinkFailedCache(c);
                throw e;
            }
            SlabEvents.cacheCreate(name, c.objectSize, c.layout.size());
            return c.primary;
        } finally {
            slabMutex.unlock();
        }
    }

    /** {@code create_cache} + {@code __kmem_cache_create}. Called under {@code slab_mutex}. */
    private SlabCache newCache(String name, long size, long align, int flags, SlabCtor ctor, boolean mergeable) {
        boolean debug = (flags & CacheFlags.DEBUG) != 0;
        Geometry.Layout layout =
                Geometry.compute(pc, size, align, flags | debugFlags, ctor != null, initOnFree, kmalloc::kmallocSlab);
        if (layout == null && debugFlags != 0) { // the global debug words do not fit: that cache goes without them
            layout = Geometry.compute(pc, size, align, flags, ctor != null, initOnFree, kmalloc::kmallocSlab);
        }
        if (layout == null) { // an alignment past the size pads the object to it: name the alignment as the cause
            boolean padded = align > size; // and past 8 bytes there are no debug words to blame (Geometry drops them)
            throw new IllegalArgumentException("cache '" + name + "': an object of " + size + " bytes"
                    + (padded ? " aligned to " + align : debug ? " with its debug words" : "")
                    + " fits in no slab up to order " + pc.kmallocMaxOrder() + " (-E2BIG)"
                    + (padded ? "; use a smaller alignment" : ""));
        }
        SlabCache freelistCache = null;
        if (layout.mode() == FreelistMode.OFF_SLAB) {
            freelistCache = kmalloc.kmallocHandles[KmallocIndex.index(layout.freelistSize())].cache;
        }
        boolean wantInitOnFree = CacheFlags.wantInitOnFree(initOnFree, ctor != null, layout.flags());
        created++;
        SlabCache c = new SlabCache(
                this,
                newCacheId(),
                name,
                layout,
                ctor,
                mergeable && ctor == null && (layout.flags() & CacheFlags.NEVER_MERGE) == 0,
                wantInitOnFree,
                freelistCache,
                randomSeed * 31 + created);
        c.refcount = 1;
        c.primary = newHandle(name, c, false);
        c.kfreeHandle = c.primary;
        slabCaches.add(c);
        return c;
    }

    /**
     * A cache id: ids index every CPU's table of arrays ({@link ThreadCpu#arrays}), so a destroyed cache's id serves
     * again, and those tables stay as long as the most caches alive at once, however many a program creates and
     * destroys. Only once no CPU holds an array of the destroyed cache, or the new cache would find that array in the
     * id's slot and take it, objects and all: every array is entered in its cache's {@link SlabCache#arrays} before
     * its slot is set, and leaves it only with the slot (its owner, or the lock holder of a stripe, retires it and
     * then clears the slot, and uses no new cache in between) or with its ended thread's CPU, which no thread uses
     * again. Called under {@code slab_mutex}.
     */
    private int newCacheId() {
        for (Iterator<SlabCache> it = idsToReuse.iterator(); it.hasNext(); ) {
            SlabCache dead = it.next();
            if (dead.arrays.isEmpty()) {
                it.remove();
                return dead.id;
            }
        }
        return nextCacheId++;
    }

    /**
     * Undoes {@link #newCache} for a cache whose set-up failed ({@code kmem_cache_create}'s error path): no list, no
     * name, no merges into it. It never handed out an object. Called under {@code slab_mutex}.
     */
    private void unlinkFailedCache(SlabCache c) {
        c.dead = true;
        c.refcount = 0;
        c.primary.deadReason = "its creation failed";
        c.kfreeHandle = null;
        slabCaches.remove(c);
        idsToReuse.add(c);
        handles.remove(c.primary);
        if (c.descriptor != null) {
            kmemCache.free(kmemCache.primary, null, c.descriptor);
            c.descriptor = null;
        }
    }

    private CacheHandle newHandle(String name, SlabCache c, boolean alias) {
        CacheHandle h = c.join(name, alias);
        handles.add(h);
        return h;
    }

    /** {@code find_mergeable} ({@code mm/slab_common.c}, 5.10). Called under {@code slab_mutex}. */
    private SlabCache findMergeable(long size, long align, int flags, SlabCtor ctor) {
        if (!merge || ctor != null || (flags & CacheFlags.NEVER_MERGE) != 0) {
            return null;
        }
        size = Geometry.alignUp(size, Geometry.BYTES_PER_WORD);
        align = Geometry.calculateAlignment(pc, flags, align, size);
        size = Geometry.alignUp(size, align);
        for (SlabCache s : slabCaches) { // oldest first, as list_for_each_entry_reverse on slab_root_caches
            long ssize = s.layout.size();
            if (!s.mergeable
                    || s.dead
                    || size > ssize
                    || (flags & CacheFlags.MERGE_SAME) != (s.layout.flags() & CacheFlags.MERGE_SAME)
                    || (ssize & ~(align - 1)) != ssize
                    || ssize - size >= Geometry.BYTES_PER_WORD
                    || align > s.layout.align()
                    || s.layout.align() % align != 0) {
                continue;
            }
            return s;
        }
        return null;
    }

    /** {@code enable_cpucache}: default tunables, and the random sequence once the cache's geometry is final. */
    private void enableCpucache(SlabCache c) {
        c.grow.createRandomSeq();
        c.drain.tune(Tunables.defaults(pc, c.layout.size(), cpus, (c.layout.flags() & CacheFlags.DEBUG) != 0));
    }

    /**
     * {@code do_tune_cpucache} as reached by writing to {@code /proc/slabinfo}: validated like the kernel's
     * {@code slabinfo_write}.
     *
     * @throws IllegalArgumentException when no cache has that name or the values are out of range
     */
    public void tune(String name, int limit, int batchcount, int shared) {
        slabMutex.lock();
        try {
            checkOpen(name);
            SlabCache c = null;
            for (CacheHandle h : handles) { // the cache's own name or any live alias reaches it
                if (h.isLive() && h.name.equals(name)) {
                    c = h.cache;
                }
            }
            if (c == null) {
                throw new IllegalArgumentException("tune: no cache named '" + name + "'");
            }
            if (limit < 1 || batchcount < 1 || batchcount > limit || shared < 0) {
                throw new IllegalArgumentException("cache '" + name + "': invalid tunables limit=" + limit
                        + " batchcount=" + batchcount + " shared=" + shared
                        + " (need limit >= 1, 1 <= batchcount <= limit, shared >= 0); nothing changed");
            }
            // Where the kernel's do_tune_cpucache fails with -ENOMEM: arrays larger than its allocators hand out.
            int maxLimit = Tunables.maxLimit(pc);
            if (limit > maxLimit) {
                throw new IllegalArgumentException("cache '" + name + "': limit " + limit
                        + " exceeds the largest per-thread array (" + maxLimit + " entries with " + pc.pageSize()
                        + "-byte pages, do_tune_cpucache's -ENOMEM); nothing changed");
            }
            Tunables t = new Tunables(limit, batchcount, shared);
            long maxShared = Tunables.maxSharedEntries(pc);
            if (t.sharedEntries() > maxShared) {
                throw new IllegalArgumentException("cache '" + name + "': shared * batchcount = " + t.sharedEntries()
                        + " exceeds the largest shared array (" + maxShared + " entries with " + pc.pageSize()
                        + "-byte pages, do_tune_cpucache's -ENOMEM); nothing changed");
            }
            c.drain.tune(t);
        } finally {
            slabMutex.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // kmalloc

    // ------------------------------------------------------------------------------------------------------------
    // Thread CPUs

    /**
     * One pass of the reaper ({@code cache_reap}): ended threads' arrays, stripes, alien caches, and per node interval
     * the shared arrays and free slabs. Runs under {@code slab_mutex}, skipped when the mutex is busy, as the kernel's
     * {@code mutex_trylock} does.
     */
    void cacheReap() {
        if (closed || !slabMutex.tryLock()) {
            return;
        }
        try {
            if (closed) {
                return;
            }
            threadCpus.newReapRound();
            threadCpus.retireDeadCpus();
            long now = System.nanoTime();
            for (SlabCache c : slabCaches) {
                for (ThreadCpu stripe : threadCpus.stripes) {
                    if (stripe.lock.tryLock()) {
                        try {
                            ArrayCache ac = stripe.array(c.id);
                            if (ac != null) {
                                c.drain.drainArray(ac, stripe.node);
                            }
                        } finally {
                            stripe.lock.unlock();
                        }
                    }
                }
                for (KmemCacheNode n : c.nodes) {
                    c.drain.reapNode(n, now, nodeReapNanos);
                }
            }
            for (SlabCache dead : idsToReuse) {
                if (!dead.arrays.isEmpty()) {
                    dead.drain.reapDead();
                }
            }
            // The slabs destroyed above gave their OFF_SLAB freelists back to kmalloc through this thread's own
            // arrays: this thread never ends and never takes a slow path, so no one else would ever drain them.
            threadCpus.drainOwnArrays();
        } finally {
            slabMutex.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Lifecycle and reports

    /** @return the handles of live caches and aliases, in creation order */
    public List<CacheHandle> handles() {
        slabMutex.lock();
        try {
            List<CacheHandle> out = new ArrayList<>();
            for (CacheHandle h : handles) {
                if (h.deadReason == null) {
                    out.add(h);
                }
            }
            return out;
        } finally {
            slabMutex.unlock();
        }
    }

    /** @return allocations and frees counted through handle {@code h} so far: {@code {allocs, frees}} */
    public long[] counts(CacheHandle h) {
        synchronized (h.cache.arraysLock) { // retiring an array moves its counts to the handle under it
            long allocs = h.retiredAllocs;
            long frees = h.retiredFrees;
            if (h.left) { // its index counts for another handle now
                return new long[] {allocs, frees};
            }
            for (ArrayCache ac : h.cache.arrays) {
                allocs += ac.countOf(h.aliasIndex, 0);
                frees += ac.countOf(h.aliasIndex, 1);
            }
            return new long[] {allocs, frees};
        }
    }

    /** @return the slabinfo "(statistics)" columns of the cache behind {@code h} */
    public SlabStatistics statistics(CacheHandle h) {
        return CacheNumbers.statistics(h.cache);
    }

    /** @return a reading of the cache behind {@code h}, with {@code h}'s own counts */
    public CacheStats stats(CacheHandle h) {
        SlabCache c = h.cache;
        CacheNumbers.Info i = CacheNumbers.info(c);
        long[] counts = counts(h);
        return new CacheStats(
                h.name,
                c.name(), // the row's name, as canonicalName(): the cache's own may be destroyed and taken again
                i.numObjs(),
                i.activeObjs() - i.cached(),
                i.cached(),
                i.numObjs() - i.activeObjs(),
                i.numSlabs(),
                i.numSlabs() * pc.slabBytes(c.layout.order()),
                counts[0],
                counts[1]);
    }

    /** {@code kmem_cache_shrink} for the cache behind {@code h}. */
    public void shrink(CacheHandle h) {
        h.checkLive();
        threadCpus.retireDeadCpus();
        h.cache.drain.shrink(threadCpus.cpu());
    }

    /**
     * {@code kmem_cache_destroy}: drops handle {@code h}; the last handle of a cache destroys it, provided no object is
     * still allocated.
     *
     * @throws IllegalStateException naming the cache and the count when objects are still live, or naming the cache
     *     when it is one of the allocator's own (a kmalloc cache or {@code kmem_cache}); nothing changes then
     */
    public void destroy(CacheHandle h) {
        SlabCache c = h.cache;
        slabMutex.lock();
        try {
            h.checkLive();
            if (c == kmemCache || (c.layout.flags() & CacheFlags.KMALLOC) != 0) {
                throw new IllegalStateException("cache '" + h.name + "': belongs to the allocator (the kmalloc"
                        + " caches and kmem_cache hold kmalloc objects, OFF_SLAB freelists and cache descriptors) and"
                        + " cannot be destroyed; nothing changed");
            }
            if (c.refcount > 1) {
                c.refcount--;
                // kfree moves to another live handle before this one dies (both volatile writes, in this order): a
                // kfree that then sees this handle dead also sees the new one, so none is refused in between.
                c.updateKfreeHandle(h);
                h.deadReason = "this cache handle has been destroyed";
                handles.remove(h);
                c.leave(h);
                return;
            }
            threadCpus.retireDeadCpus();
            CacheNumbers.Info info = CacheNumbers.info(c);
            long live = info.activeObjs() - info.cached();
            if (live <= 0) { // the sum races flushes, which it may count twice: count what callers hold, exactly
                live = CacheNumbers.allocatedObjects(c);
            }
            if (live > 0) {
                throw new IllegalStateException("cache '" + h.name + "': cannot destroy it while " + live
                        + " object(s) are still allocated; free them first");
            }
            c.kill();
            c.refcount = 0;
            h.deadReason = "this cache has been destroyed";
            handles.remove(h); // the cache's last live handle: its aliases left as they died
            kmemCache.free(kmemCache.primary, null, c.descriptor);
            slabCaches.remove(c);
            idsToReuse.add(c);
            threadCpus.newReapRound(); // live threads give back their arrays of the dead cache on their next slow path
            destroying.add(h.name); // the name CacheDestroy goes by (the row's: the last live handle's)
        } finally {
            slabMutex.unlock();
        }
        // Outside slab_mutex: a stripe is drained under its lock, which a virtual thread holds through its slow path,
        // constructor included, and a constructor may wait for slab_mutex (slabinfo, createCache, tune, a report).
        // From inside such a constructor, a stripe another thread holds is left to the reaper (CacheDrain.reapDead).
        try {
            c.drain.shrink(threadCpus.cpu());
            SlabEvents.cacheDestroy(c.name());
        } finally {
            destroying.remove(h.name); // after the event: a create of the name that no longer sees it records after it
        }
    }

    /** @return the caches, newest first, as {@code /proc/slabinfo} lists them */
    List<SlabCache> cachesNewestFirst() {
        slabMutex.lock();
        try {
            return new ArrayList<>(slabCaches).reversed();
        } finally {
            slabMutex.unlock();
        }
    }

    /** @return the {@code /proc/slabinfo} text, version 2.1 */
    public String slabinfo() {
        checkOpen("slabinfo");
        return SlabInfo.format(cachesNewestFirst(), statistics);
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return closed;
    }

    /** Marks every handle dead and unmaps every chunk. */
    public void close() {
        slabMutex.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (CacheHandle h : handles) {
                if (h.deadReason == null) {
                    h.deadReason = "the allocator is closed";
                }
            }
            for (SlabCache c : slabCaches) {
                c.dead = true;
                c.kfreeHandle = null;
            }
            pages.releaseAll();
            if (reaper != null) {
                LockSupport.unpark(reaper);
            }
        } finally {
            slabMutex.unlock();
        }
    }

    /**
     * What a call that failed with {@code e} throws: {@code e} itself, unless the allocator was closed meanwhile, when
     * whatever failed (a chunk unmapped under it, a table emptied) is only the trace of that: the call lost a race with
     * {@link #close()} and gets the same {@link IllegalStateException} as any call after it.
     *
     * @param what the call or the cache, to start the message
     */
    public RuntimeException closedOr(RuntimeException e, String what) {
        if (!closed
                || (e instanceof IllegalStateException
                        && e.getMessage() != null
                        && e.getMessage().endsWith("the allocator is closed"))) {
            return e;
        }
        return new IllegalStateException(what + ": the allocator is closed", e);
    }

    /**
     * @param what the call or the cache, to start the message
     * @throws IllegalStateException once the allocator is closed
     */
    public void checkOpen(String what) {
        if (closed) {
            throw new IllegalStateException(what + ": the allocator is closed");
        }
    }
}
