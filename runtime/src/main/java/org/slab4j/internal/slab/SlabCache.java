package org.slab4j.internal.slab;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slab4j.SlabCtor;
import org.slab4j.SlabGeometry;
import org.slab4j.SlabOutOfMemoryException;
import org.slab4j.internal.page.PageConfig;

/**
 * {@code struct kmem_cache} and its object fast paths ({@code ____cache_alloc}, {@code ___cache_free}), with the
 * checks a Java caller needs. Its other parts follow the kernel's seams: the slow paths on the calling thread's CPU
 * ({@code ____cache_alloc} with its refill, {@code __cache_free}, {@code ____cache_alloc_node}) in {@link CpuPaths},
 * slab growth in {@link CacheGrow}, the node lists with refill, flush and {@code free_block} in {@link NodeLists}, the
 * checked look-up in {@link ObjectLookup}, tuning, draining, shrinking and reaping in {@link CacheDrain}, the slabinfo
 * numbers in {@link CacheNumbers}.
 *
 * <p><b>Notation.</b> An object is named by its slab and index: {@code slab.objs[i]} is the one segment ever handed out
 * for it (cut when the slab is grown), {@code slab.state[i]} is {@link Slab#ALLOCATED} while a caller holds it and 0
 * while it is free. An array entry is {@code slabId << 32 | i} ({@link ArrayCache}); {@link #slabsById} turns the id
 * back into the slab.
 *
 * <p><b>Invariants.</b> (1) An object is in exactly one place: a caller's hands (state ALLOCATED), one array (per-thread,
 * shared or alien), or its slab's freelist. (2) ALLOCATED means a caller holds it: only {@link #takeEntry} and the
 * node paths set it (and a poisoned cache's allocation, which holds it as {@link Slab#CONSTRUCTING} while its
 * constructor runs), only a checked free clears it. (3) A slab is destroyed only when no array names any of its
 * objects: all of them are on its freelist. (4) An array is touched only by its owner (see {@link ThreadCpu}).
 *
 * <pre>
 *  alloc:  this thread's array (ThreadTable by thread id) not empty? ──yes──▶ pop, mark ALLOCATED, hand out objs[i]
 *            └─no─▶ cacheAlloc on the ThreadCpu (a virtual thread's: its locked stripe) ─▶ cacheAllocRefill:
 *                   node's shared array ─▶ slabs_partial ─▶ slabs_free ─▶ CacheGrow (buddy pages, colour, ctor)
 *                   ─▶ at the memory limit, fallback_alloc: another node's lists, then a slab of its pages
 *  free:   the slab from the PageMap (3 loads, any order of frees); objs[i] must be the very segment, state ALLOCATED,
 *          the slab of this cache and this thread's node, the array not full ─▶ clear state, push
 *            └─ anything else ─▶ the checked path, which says what is wrong, or:
 *               ├─ an object of another node ─▶ the alien cache for that node, drained to it in batches
 *               └─ array full ─▶ cacheFlusharray: the oldest batch ─▶ shared array, else freeBlock ─▶ slab lists
 *                                (free slabs beyond free_limit are destroyed: pages back to the buddy allocator)
 * </pre>
 *
 * <p><b>Lifecycle.</b> {@code destroy} never touches another live thread's array: it checks that no object is
 * allocated, then {@link #kill}s the cache (no new objects, the fast tables emptied, every free slab destroyed at once)
 * and bumps the reap round, so that each live thread gives back its array of the dead cache on its next slow path;
 * ended threads' arrays are retired by whoever claims them. An allocation that overlaps the destroy on another thread
 * can still complete (seeing that race would take a fence in every allocation): its object stays valid, and its free is
 * taken back ({@link #free(CacheHandle, Slab, MemorySegment)}). Nothing else of a dead cache may stay cached, since no
 * one drains its arrays after destroy (but the reaper, the stripe arrays whose locks others held when a destroy from
 * inside a constructor skipped them): a new array is entered under {@link #arraysLock}, which {@link #kill} sets
 * {@link #dead} under, so destroy's last drain sees it or it is never made; a stripe, an alien cache and a shared
 * array check {@code dead} under the lock that drain takes after {@code kill}; a platform thread's own array, filled in
 * the race, goes back whole on its owner's next slow path, in the reap round destroy starts.
 *
 * <p>Differences from the kernel, and why: a "CPU" is a {@link ThreadCpu} (a platform thread, or a stripe shared by
 * virtual threads under a lock) since the JVM cannot pin code to a CPU with interrupts off; every object's
 * {@link MemorySegment} is cut once per slab so the fast paths never allocate; each object carries a state byte and a
 * free must present the very segment handed out, so that double, stale and forged frees are refused, because a Java
 * caller can hand us any segment; per-thread arrays are drained by their owners when the reaper asks (no cross-CPU
 * calls).
 *
 * <p><b>Guards.</b> Layout fields are final. {@link #objectSize}, {@link #handles}, {@link #refcount}, {@link #primary},
 * {@link #kfreeHandle}, {@link #rowName} and {@link #descriptor} change under {@code slab_mutex}; {@link #arrays} and
 * {@link #fastArrays} under {@link #arraysLock}; {@link #tunables} is a volatile snapshot; {@link #dead} is written once
 * under {@code slab_mutex} and read without it.
 */
public final class SlabCache {
    /** {@code BATCHREFILL_LIMIT}. */
    static final int BATCHREFILL_LIMIT = 16;

    final SlabSystem sys;
    /** The allocator's {@link PageMap}, kept here so that a free reaches it in one load. */
    final PageMap pageMap;

    final PageConfig pc;
    final int id;
    final String name;
    /**
     * The name of the cache's slabinfo row: the name of {@link #kfreeHandle} while that is set, the last one once the
     * cache is gone (a dead cache's last slabs and its {@code CacheDestroy} event go by the name it last had).
     */
    volatile String rowName;

    final Geometry.Layout layout;
    final int idxSize;
    final SlabCtor ctor;
    final boolean mergeable;
    final boolean initOnFree;
    final SlabCache freelistCache;
    final KmemCacheNode[] nodes;
    /** The {@code CONFIG_DEBUG_SLAB} checks, for a cache with POISON, RED_ZONE or STORE_USER; else {@code null}. */
    final SlabDebug debug;
    /** Whether a free has more to do than wipe and push the object (debug checks): no fast path then. */
    final boolean freeHooks;
    /** Hot copies of the layout for {@code obj_to_index}: buffer size and its reciprocal ({@code reciprocal_buffer_size}). */
    private final long bufferSize;

    private final long recM;
    private final int recSh1;
    private final int recSh2;
    /** {@code log2(bufferSize)} when the buffer size is a power of two (a shift then replaces the reciprocal); else -1. */
    private final int bufferShift;
    /** {@code object_size}: raised (never lowered) when a larger request merges in; guarded by {@code slab_mutex}. */
    volatile long objectSize;
    /** Current tunables; threads adopt a new value on their next slow path. */
    volatile Tunables tunables = Tunables.BOOT;
    /**
     * Every thread's array for this cache, for statistics, draining and destroy; membership changes under
     * {@link #arraysLock}, and iteration needs no lock (a copy-on-write list).
     */
    final List<ArrayCache> arrays = new CopyOnWriteArrayList<>();
    /**
     * Guards membership of {@link #arrays} and {@link #fastArrays} together with the handles' retired counts, so that
     * {@link SlabSystem#counts} sees an array's counts exactly once: in the array or, once it is retired, in its handle.
     */
    final Object arraysLock = new Object();
    /**
     * Platform threads' arrays by thread id: the fast paths' way to the calling thread's own array, with no
     * {@code ThreadLocal}. A reader only ever gets its own thread's array (the table matches the id). Stripes and debug
     * caches are never entered: they take the slow path.
     */
    ArrayCache[] fastArrays = new ArrayCache[16];
    /**
     * The handles that count here, oldest first: the live ones (the cache's own name while it lives, then its aliases),
     * and those that died with the cache (the last one destroyed, or all of them at close); a handle destroyed while the
     * cache lives on leaves ({@link #leave}). Changed under {@code slab_mutex} and {@link #arraysLock}.
     */
    final List<CacheHandle> handles = new CopyOnWriteArrayList<>();
    /** The allocations and frees counted through the handles that left; guarded by {@link #arraysLock}. */
    long leftAllocs;

    long leftFrees;
    /** Handles (the name and aliases) that keep the cache alive ({@code refcount}); guarded by {@code slab_mutex}. */
    int refcount;
    /** The handle of the cache's own name, used for internal allocations (OFF_SLAB freelists, descriptors). */
    CacheHandle primary;
    /**
     * The handle {@code kfree} counts its frees against: the cache's first live handle (its own name while that lives,
     * else the oldest live alias), {@code null} once the cache is destroyed or its allocator closed. Kept under
     * {@code slab_mutex} by {@link SlabSystem}, so that {@code kfree} tests one field.
     */
    volatile CacheHandle kfreeHandle;
    /** The cache's descriptor in the {@code kmem_cache} cache. */
    MemorySegment descriptor;
    /** Set when the cache is gone; objects can no longer be freed into it. */
    volatile boolean dead;

    final Stats stats = new Stats();
    /** The cache's live slabs by id, as array entries name them. */
    final SlabTable slabTable = new SlabTable(this);
    /** The slabs by id that {@link #slabTable} keeps: how array entries name their objects' slabs. */
    volatile Slab[] slabsById;
    /** {@code do_tune_cpucache}, {@code drain_array}, {@code drain_freelist}, shrink and reap for this cache. */
    final CacheDrain drain;
    /** Slab growth: {@code cache_grow_begin}/{@code end}, {@code cache_init_objs}, {@code shuffle_freelist}. */
    final CacheGrow grow;
    /** The node lists and {@code free_block}. */
    final NodeLists lists;
    /** The checked path of finding an object, and the errors naming the cache. */
    final ObjectLookup lookup;
    /** Allocations and frees on the calling thread's CPU: everything the fast paths do not take. */
    final CpuPaths cpuPaths;

    SlabCache(
            SlabSystem sys,
            int id,
            String name,
            Geometry.Layout layout,
            SlabCtor ctor,
            boolean mergeable,
            boolean initOnFree,
            SlabCache freelistCache,
            long seed) {
        this.sys = sys;
        this.pageMap = sys.pageMap;
        this.pc = sys.pc;
        this.id = id;
        this.name = name;
        this.rowName = name;
        this.layout = layout;
        this.idxSize = pc.freelistIdxSize();
        this.ctor = ctor;
        this.mergeable = mergeable;
        this.initOnFree = initOnFree;
        this.freelistCache = freelistCache;
        this.debug = SlabDebug.wanted(layout.flags()) ? new SlabDebug(this) : null;
        this.freeHooks = debug != null;
        this.objectSize = layout.objectSize();
        this.bufferSize = layout.size();
        Reciprocal r = Reciprocal.of(layout.size());
        this.recM = r.m();
        this.recSh1 = r.sh1();
        this.recSh2 = r.sh2();
        this.bufferShift = Long.bitCount(bufferSize) == 1 ? Long.numberOfTrailingZeros(bufferSize) : -1;
        this.drain = new CacheDrain(this);
        this.grow = new CacheGrow(this, sys.freelistRandom ? new Random(seed) : null);
        this.lists = new NodeLists(this);
        this.lookup = new ObjectLookup(this);
        this.cpuPaths = new CpuPaths(this);
        this.nodes = new KmemCacheNode[sys.nodeCount];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = new KmemCacheNode(i);
            nodes[i].freeLimit = Tunables.BOOT.freeLimit(sys.cpusOfNode(), layout.num());
            // next_reap: spread the caches' node reaps over one interval, as the kernel does with the cache address.
            nodes[i].nextReap = System.nanoTime() + sys.nodeReapNanos + (id * 7919L) % Math.max(1, sys.nodeReapNanos);
        }
    }

    /** Counters behind the slabinfo statistics columns; each is updated under a node lock or atomically. */
    static final class Stats {
        final AtomicLong grown = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong retiredAllocMiss = new AtomicLong();
        final AtomicLong highMark = new AtomicLong();
        final AtomicLong remoteFrees = new AtomicLong();
        final AtomicLong alienOverflow = new AtomicLong();
        final AtomicLong reaped = new AtomicLong();
        final AtomicLong retiredFreeMiss = new AtomicLong();
    }

    /**
     * @return the cache's name in slabinfo, reports and JFR events: its own while that handle lives, else its oldest
     *     live alias's (so that a new cache of the destroyed name never shares a row name with it); once the cache is
     *     gone, the last of these
     */
    public String name() {
        return rowName;
    }

    /** @return the cache's geometry, with the current (possibly merged-up) object size */
    public SlabGeometry geometry() {
        return layout.toGeometry(objectSize);
    }

    /** @return the current tunables */
    public Tunables tunables() {
        return tunables;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Allocation

    /**
     * {@code kmem_cache_alloc} through handle {@code h}.
     *
     * <p>Fast path: the calling platform thread finds its own array in {@link #fastArrays} by thread id (one load of
     * the table, one slot, one id comparison, instead of a {@code ThreadLocal} walk) and pops an object. Everything else
     * (first use, virtual threads, an empty array, and every allocation of a debug cache, whose arrays are never
     * entered in {@link #fastArrays}) goes through {@link CpuPaths#allocSlow}.
     *
     * @throws SlabOutOfMemoryException when a slab must be grown and no memory is left
     */
    public MemorySegment alloc(CacheHandle h) {
        ArrayCache ac = ownFastArray(Thread.currentThread().threadId());
        if (ac != null) {
            int top = ac.avail - 1;
            long[] entry = ac.entry;
            // One unsigned test: the array is not empty (avail 0 gives -1, a huge unsigned value) and the JIT knows
            // entry[top] is in bounds, so it drops its own range check.
            if (Integer.compareUnsigned(top, entry.length) < 0) {
                ac.touched = true;
                ac.avail = top;
                ac.countAlloc(h.aliasIndex);
                return takeEntry(entry[top]);
            }
        }
        return cpuPaths.allocSlow(h);
    }

    /**
     * {@code kmem_cache_zalloc}: {@link #alloc} with the object zeroed, unless the cache wipes objects on free
     * ({@link #initOnFree}), when every free object is already zero: each free wiped it, and a new slab is wiped whole
     * ({@link CacheGrow#cacheInitObjs}) and keeps no freelist inside its objects. The kernel memsets here anyway;
     * skipping it is where {@code init_on_free} pays: for objects last touched long ago, zeroing in the free measured
     * cheaper than here (the live-set benchmark in {@code docs/performance.md}).
     */
    public MemorySegment zalloc(CacheHandle h) {
        MemorySegment obj = alloc(h);
        if (initOnFree) {
            return obj;
        }
        try {
            return obj.fill((byte) 0);
        } catch (IllegalStateException e) { // close() unmapped the chunk under the memset, as in free's wipe
            throw sys.closedOr(e, "cache '" + h.name + "'");
        }
    }

    /**
     * Hands out the object of an array entry (already popped): marks it allocated, so that freeing it twice is caught,
     * and returns its slab's segment for it, which a merge that raised the object size has re-cut.
     */
    MemorySegment takeEntry(long e) {
        Slab slab = slabsById[ArrayCache.slabId(e)];
        int index = ArrayCache.index(e);
        slab.state[index] = Slab.ALLOCATED;
        return slab.objs[index];
    }

    /**
     * {@code obj_to_index} without its checks: a shift for a power-of-two buffer size, else the reciprocal
     * multiplication. For an address that is not an object start of {@code slab} the result is meaningless (possibly
     * out of range); {@link #fastFree} therefore accepts it only if {@code slab.objs[index]} is the very segment freed.
     */
    private int indexOf(Slab slab, long address) {
        long rel = address - slab.firstObject;
        return bufferShift >= 0 ? (int) (rel >>> bufferShift) : Reciprocal.divide(rel, recM, recSh1, recSh2);
    }

    /**
     * @return {@code cpu}'s array for this cache, made on first use and entered in {@link #fastArrays} (unless the
     *     cache has debug checks, which the fast paths skip); {@code null} once the cache is dead: no array of a dead
     *     cache takes objects (see the lifecycle rule above), and {@code destroy} drains only the arrays it can see
     */
    ArrayCache arrayOf(ThreadCpu cpu) {
        if (dead) {
            return null;
        }
        ArrayCache ac = cpu.array(id);
        if (ac == null) {
            Tunables t = tunables;
            ac = new ArrayCache(cpu, this, t.limit(), t);
            ac.setHome(cpu.node);
            synchronized (arraysLock) {
                // Under the lock kill() sets dead in: an array entered before it is one destroy's last drain sees.
                if (dead) {
                    return null;
                }
                arrays.add(ac);
                if (cpu.lock == null && debug == null) {
                    fastArrays = ThreadTable.put(fastArrays, ac);
                }
            }
            cpu.setArray(id, ac);
        }
        return ac;
    }

    /**
     * Adds a handle, at the lowest alias index no handle of the cache holds (0 for the cache's own name, which no alias
     * takes), so that the arrays count for as many aliases as are alive at once. An index that a handle left keeps its
     * counts in the arrays: the new handle's retired counts start at minus them. Called under {@code slab_mutex}.
     */
    CacheHandle join(String name, boolean alias) {
        synchronized (arraysLock) {
            int index = alias ? 1 : 0;
            while (indexTaken(index)) {
                index++;
            }
            CacheHandle h = new CacheHandle(name, this, alias, index);
            for (ArrayCache ac : arrays) {
                h.retiredAllocs -= ac.countOf(index, 0);
                h.retiredFrees -= ac.countOf(index, 1);
            }
            handles.add(h);
            return h;
        }
    }

    private boolean indexTaken(int index) {
        for (CacheHandle h : handles) {
            if (h.aliasIndex == index) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes a destroyed handle out of the live cache: its counts become final in its retired fields and in the cache's
     * {@link #leftAllocs} and {@link #leftFrees}, and its alias index serves again. An allocation through it that
     * overlapped the destroy and counts afterwards is not counted, or counted for the next handle of that index. Called
     * under {@code slab_mutex}.
     */
    void leave(CacheHandle h) {
        synchronized (arraysLock) {
            long[] counts = sys.counts(h);
            h.retiredAllocs = counts[0];
            h.retiredFrees = counts[1];
            h.left = true;
            leftAllocs += counts[0];
            leftFrees += counts[1];
            handles.remove(h);
        }
    }

    /**
     * Forgets a drained array whose owner ended or whose cache died, keeping its counts: they move to the handles and
     * the cache's statistics. The caller owns the array (its owner, or the claimer of an ended owner).
     */
    void retire(ArrayCache ac) {
        synchronized (arraysLock) {
            if (arrays.remove(ac)) {
                for (CacheHandle h : handles) {
                    h.retiredAllocs += ac.countOf(h.aliasIndex, 0);
                    h.retiredFrees += ac.countOf(h.aliasIndex, 1);
                }
                stats.retiredAllocMiss.addAndGet(ac.allocMiss);
                stats.retiredFreeMiss.addAndGet(ac.freeMiss);
            }
        }
    }

    /** {@code STATS_SET_HIGH}: the high-water mark of objects out of the slabs, summed racily over the nodes. */
    void noteActive() {
        long active = 0;
        for (KmemCacheNode n : nodes) {
            active += n.numActive;
        }
        stats.highMark.accumulateAndGet(active, Math::max);
    }

    /**
     * {@code kmem_cache_alloc_node}: an object from node {@code node}'s slabs. On the caller's home node this is
     * {@link #alloc}; elsewhere it bypasses the arrays as {@code ____cache_alloc_node} does.
     */
    public MemorySegment allocNode(CacheHandle h, int node) {
        if (node < 0 || node >= nodes.length) {
            throw new IllegalArgumentException(
                    "cache '" + name + "': node " + node + " does not exist (nodes 0.." + (nodes.length - 1) + ")");
        }
        ThreadCpu cpu = sys.threadCpus.cpu();
        if (node == cpu.node) {
            return alloc(h);
        }
        return cpuPaths.allocNode(cpu, h, node);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Free

    /**
     * {@code kmem_cache_destroy}'s point of no return, under {@code slab_mutex}: no new objects, the fast paths stop
     * finding this cache's arrays, and from now on every slab that becomes free is destroyed at once.
     */
    void kill() {
        synchronized (arraysLock) { // dead under the lock arrayOf enters new arrays under
            dead = true;
            fastArrays = new ArrayCache[16];
        }
        kfreeHandle = null; // after dead: freeChecked reads them in the other order
        for (KmemCacheNode n : nodes) {
            n.listLock.lock();
            try {
                n.freeLimit = 0;
            } finally {
                n.listLock.unlock();
            }
        }
    }

    /**
     * {@code kmem_cache_free} through handle {@code h}, and {@code kfree}'s free once it found the slab: the fast path of
     * a platform thread (the same array as {@link #alloc}), under the stripe's lock for a virtual thread, else (and for
     * every error, and a dead handle) the checked path. A cache that wipes on free wipes here, after the push: the
     * array is this thread's alone until it hands entries on under a lock, which publishes the zeroes with them (the
     * kernel's {@code ___cache_free} wipes before the push). One method, and the wipe here rather than in
     * {@link #fastFree}, so that C2 can inline {@code fill} at the end of the agent's free chain, which is deep (all
     * of it but a check that does nothing on a 64-bit JVM).
     *
     * @param known the object's slab if the caller found it already ({@code kfree}, which takes this cache from it),
     *     else {@code null}: the {@link PageMap} finds it
     * @throws IllegalArgumentException naming the cache when {@code object} is not an object of this cache
     * @throws IllegalStateException naming the cache when the object is already free (a double free)
     */
    public void free(CacheHandle h, Slab known, MemorySegment object) {
        ArrayCache ac = ownFastArray(Thread.currentThread().threadId());
        if (ac == null
                || object == null
                || h.deadReason != null
                || !fastFree(ac, h, known != null ? known : slabOfThis(pageMap.find(object.address())), object)) {
            cpuPaths.freeChecked(h, ac, known, object);
        } else if (initOnFree) {
            try {
                object.fill((byte) 0); // the very segment handed out (fastFree checked it), at the current object size
            } catch (IllegalStateException e) { // close() unmapped the chunk under the wipe
                throw sys.closedOr(e, "cache '" + h.name + "'");
            }
        }
    }

    /**
     * @return the live handle {@code kfree} counts against ({@link #kfreeHandle}); once the cache is gone, its own
     *     name's dead handle, whose free takes back an object whose allocation overlapped the destroy and refuses any
     *     other, as {@link #free} does through any handle
     */
    CacheHandle kfreeHandle() {
        CacheHandle h = kfreeHandle;
        return h != null ? h : primary;
    }

    /** @return the error of a call on a cache that was destroyed or whose allocator was closed */
    IllegalStateException gone() {
        return new IllegalStateException("cache '" + name + "': "
                + (sys.isClosed() ? "the allocator is closed" : "this cache has been destroyed"));
    }

    /**
     * Recomputes {@link #kfreeHandle}: the first live handle but {@code leaving}; under {@code slab_mutex}.
     *
     * @param leaving a handle about to die, or {@code null}
     */
    void updateKfreeHandle(CacheHandle leaving) {
        CacheHandle live = null;
        if (!dead) {
            for (CacheHandle h : handles) {
                if (h.isLive() && h != leaving) {
                    live = h;
                    break;
                }
            }
        }
        kfreeHandle = live;
        if (live != null) {
            rowName = live.name;
        }
    }

    /** @return {@code slab} if it is a slab of this cache (the page map's answer may be of another), else {@code null} */
    Slab slabOfThis(Slab slab) {
        return slab != null && slab.cache == this ? slab : null;
    }

    /** @return the fast-path array of the platform thread {@code tid}, or {@code null} if it has none */
    ArrayCache ownFastArray(long tid) {
        return ThreadTable.get(fastArrays, tid);
    }

    /**
     * The fast path of {@link #free}: an object of {@code slab} (the slab the thread's previous checked free found, or
     * the one {@code kfree} found), going back onto the thread's own array with room, with no debug work (the caller
     * wipes the object of a cache that wipes on free once this returns {@code true}). The segment must be the very
     * instance the slab cut for that object ({@code slab.objs[index] == object}): one reference comparison that proves
     * it native, of this slab, at an object start and full length, so that no other check is needed here. Anything
     * else (another segment over the same memory, and every error) takes the checked path.
     *
     * @param slab a slab of this cache (the callers test the page map's answer: {@link #slabOfThis}), or {@code null}
     * @return whether the object was freed
     */
    boolean fastFree(ArrayCache ac, CacheHandle h, Slab slab, MemorySegment object) {
        int avail = ac.avail;
        long[] entry = ac.entry; // as long as the limit
        // Unsigned, as the range check of entry[avail] below, which the JIT then drops.
        if (slab == null || Integer.compareUnsigned(avail, entry.length) >= 0 || slab.node != ac.fastFreeNode) {
            return false;
        }
        int idx = indexOf(slab, object.address());
        MemorySegment[] objs = slab.objs;
        byte[] state = slab.state;
        // A state of ALLOCATED also proves the slab live: a slab is destroyed only when all its objects are free.
        if (idx < 0 || idx >= objs.length || objs[idx] != object || state[idx] != Slab.ALLOCATED) {
            return false; // another segment, not an object start, or a double free: the checked path says which
        }
        state[idx] = 0;
        entry[avail] = ArrayCache.entryOf(slab, idx);
        ac.avail = avail + 1;
        ac.countFree(h.aliasIndex);
        return true;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Object lookup and validation

    /**
     * {@code obj_to_index} by {@code reciprocal_divide}, exact for offsets below {@code 2^32}.
     *
     * @param rel the offset from a slab's first object
     * @return the object index, or -1 if {@code rel} is not the start of one of {@code num} objects
     */
    int objToIndex(long rel, int num) {
        if (Long.compareUnsigned(rel, bufferSize * num) >= 0) {
            return -1;
        }
        int idx = Reciprocal.divide(rel, recM, recSh1, recSh2);
        return idx * bufferSize == rel ? idx : -1;
    }

    /**
     * Raises {@code object_size} for a merged request ({@code __kmem_cache_alias}) and re-cuts the segments of every
     * listed slab; a slab being grown meanwhile is re-cut when {@link CacheGrow#cacheGrowEnd} lists it. Arrays hold slab and
     * index, not segments, so every object handed out afterwards has the new size.
     */
    void raiseObjectSize(long size) {
        if (size <= objectSize) {
            return;
        }
        objectSize = size;
        for (KmemCacheNode n : nodes) {
            n.listLock.lock();
            try {
                for (SlabList l : new SlabList[] {n.slabsFull, n.slabsPartial, n.slabsFree}) {
                    for (Slab s = l.first(); s != null; s = s.next) {
                        s.recut(size);
                    }
                }
            } finally {
                n.listLock.unlock();
            }
        }
    }
}
