package org.slab4j.internal.slab;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slab4j.FreelistMode;
import org.slab4j.SlabCtor;
import org.slab4j.SlabGeometry;
import org.slab4j.SlabOutOfMemoryException;
import org.slab4j.internal.event.SlabEvents;
import org.slab4j.internal.page.PageAllocator;
import org.slab4j.internal.page.PageBlock;
import org.slab4j.internal.page.PageConfig;

/**
 * {@code struct kmem_cache} and the object paths of {@code mm/slab.c}: {@code ____cache_alloc},
 * {@code cache_alloc_refill}, {@code cache_grow_begin}/{@code cache_grow_end}, {@code ___cache_free},
 * {@code cache_free_alien}, {@code cache_flusharray}, {@code free_block}, {@code slabs_destroy}, and
 * {@code virt_to_cache}/{@code obj_to_index} with the checks a Java caller needs. Tuning, draining, shrinking and
 * reaping are in its {@link CacheDrain}; the slabinfo numbers in {@link CacheNumbers}.
 *
 * <pre>
 *  alloc:  fastArrays[tid &amp; 255] is this thread's ArrayCache and not empty? ──yes──▶ pop, mark the object allocated
 *            └─no─▶ ThreadCpu (ThreadLocal; for a virtual thread, the locked stripe its id gives) ─▶ cacheAllocRefill:
 *                   node's shared array ─▶ slabs_partial ─▶ slabs_free ─▶ cacheGrow (buddy pages, colour, ctor)
 *  free:   the segment checked: on a slab of this cache (the previous free's slab, else the page descriptors),
 *          at an object start, not already free ─▶ pushed on this thread's ArrayCache
 *            ├─ an object of another node ─▶ the alien cache for that node, drained to it in batches
 *            └─ array full ─▶ cacheFlusharray: the oldest batch ─▶ shared array, else freeBlock ─▶ slab lists
 *                             (free slabs beyond free_limit are destroyed: pages back to the buddy allocator)
 * </pre>
 *
 * <p>Differences from the kernel, and why: a "CPU" is a {@link ThreadCpu} (a platform thread, or a stripe shared by
 * virtual threads under a lock) since the JVM cannot pin code to a CPU with interrupts off; every object's
 * {@link MemorySegment} is cut once per slab so the fast paths never allocate; a freed segment is checked against the
 * page descriptors, and each object carries a state byte so that a double free is refused, because a Java caller can
 * hand us any segment; an array entry names an object by its slab's id ({@link SlabTable}) and its index, not by
 * address; per-thread arrays are drained by their owners when the reaper asks (no cross-CPU calls).
 */
public final class SlabCache {
    /** {@code BATCHREFILL_LIMIT}. */
    static final int BATCHREFILL_LIMIT = 16;

    final SlabSystem sys;
    final PageConfig pc;
    final int id;
    final String name;
    final Geometry.Layout layout;
    final int idxSize;
    final SlabCtor ctor;
    final boolean mergeable;
    final boolean initOnFree;
    final SlabCache freelistCache;
    final KmemCacheNode[] nodes;
    /** The {@code CONFIG_DEBUG_SLAB} checks, for a cache with POISON, RED_ZONE or STORE_USER; else {@code null}. */
    final SlabDebug debug;
    /** Whether a free has more to do than push the object (debug checks, init_on_free): no fast path then. */
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
    /** {@code cachep->random_seq} once the cache is fully set up and randomisation is on. */
    int[] randomSeq;

    private final Random random;
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
    final ThreadTable fastArrays = new ThreadTable();
    /** Handles by alias index: the cache's own name first, then its aliases; guarded by {@code slab_mutex}. */
    final List<CacheHandle> handles = new CopyOnWriteArrayList<>();
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
        this.pc = sys.pc;
        this.id = id;
        this.name = name;
        this.layout = layout;
        this.idxSize = pc.freelistIdxSize();
        this.ctor = ctor;
        this.mergeable = mergeable;
        this.initOnFree = initOnFree;
        this.freelistCache = freelistCache;
        this.debug = SlabDebug.wanted(layout.flags()) ? new SlabDebug(this) : null;
        this.freeHooks = debug != null || initOnFree;
        this.objectSize = layout.objectSize();
        this.bufferSize = layout.size();
        Reciprocal r = Reciprocal.of(layout.size());
        this.recM = r.m();
        this.recSh1 = r.sh1();
        this.recSh2 = r.sh2();
        this.bufferShift = Long.bitCount(bufferSize) == 1 ? Long.numberOfTrailingZeros(bufferSize) : -1;
        this.random = sys.freelistRandom ? new Random(seed) : null;
        this.drain = new CacheDrain(this);
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

    /** @return the cache's name */
    public String name() {
        return name;
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
     * <p>Fast path: the calling platform thread finds its own array in {@link #fastArrays} by thread id (two dependent
     * loads instead of a {@code ThreadLocal} walk) and pops an object. Everything else (first use, virtual threads, an
     * empty array, a slot taken by another thread, and every allocation of a debug cache, whose arrays are never
     * entered in {@link #fastArrays}) goes through {@link #allocSlow}.
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
        MemorySegment obj = allocSlow(h);
        return debug == null ? obj : debugAlloc(obj);
    }

    /** {@code cache_alloc_debugcheck_after}, and the constructor that a poisoned cache runs on every allocation. */
    private MemorySegment debugAlloc(MemorySegment obj) {
        Slab slab = slabOf(obj, "allocate");
        debug.afterAlloc(slab, slab.objToIndex(obj.address()), obj);
        if (ctor != null && debug.poison) {
            ctor.construct(obj);
        }
        return obj;
    }

    private MemorySegment allocSlow(CacheHandle h) {
        ThreadCpu cpu = sys.cpu();
        sys.ownerReap(cpu);
        if (cpu.lock == null) {
            return allocOn(cpu, h);
        }
        cpu.lock.lock();
        try {
            return allocOn(cpu, h);
        } finally {
            cpu.lock.unlock();
        }
    }

    /** {@code ____cache_alloc}: pop from the CPU's array, refill it when empty. */
    private MemorySegment allocOn(ThreadCpu cpu, CacheHandle h) {
        ArrayCache ac = arrayOf(cpu);
        MemorySegment obj;
        if (ac.avail > 0) {
            ac.touched = true;
            obj = takeEntry(ac.entry[--ac.avail]);
        } else {
            obj = cacheAllocRefill(cpu, ac);
        }
        ac.countAlloc(h.aliasIndex);
        return obj;
    }

    /**
     * Hands out the object of an array entry (already popped): marks it allocated, so that freeing it twice is caught,
     * and returns its slab's segment for it, which a merge that raised the object size has re-cut.
     */
    private MemorySegment takeEntry(long e) {
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
     *     cache has debug checks, which the fast paths skip)
     */
    private ArrayCache arrayOf(ThreadCpu cpu) {
        ArrayCache ac = cpu.array(id);
        if (ac == null) {
            Tunables t = tunables;
            ac = new ArrayCache(cpu, this, t.limit(), t);
            ac.setHome(cpu.node);
            synchronized (arraysLock) {
                arrays.add(ac);
                if (cpu.lock == null && debug == null && !dead) {
                    fastArrays.put(ac);
                }
            }
            cpu.setArray(id, ac);
        }
        return ac;
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

    /** {@code cache_alloc_refill}. */
    private MemorySegment cacheAllocRefill(ThreadCpu cpu, ArrayCache ac) {
        drain.adoptTunables(cpu, ac);
        ac.allocMiss++;
        int node = cpu.node;
        int batchcount = ac.batchcount;
        if (!ac.touched && batchcount > BATCHREFILL_LIMIT) {
            // Little recent activity: refill only partly, to avoid refill bouncing.
            batchcount = BATCHREFILL_LIMIT;
        }
        KmemCacheNode n = nodes[node];
        ArrayCache shared = n.shared;
        // A racy peek, as the kernel's READ_ONCE: a stale answer only costs a lock round trip or an early grow.
        if (n.freeObjects != 0 || (shared != null && shared.avail != 0)) {
            n.listLock.lock();
            try {
                shared = n.shared;
                if (shared != null && ac.transferFrom(shared, batchcount) > 0) {
                    shared.touched = true;
                } else {
                    while (batchcount > 0) {
                        Slab slab = getFirstSlab(n);
                        if (slab == null) {
                            break;
                        }
                        batchcount = allocBlock(ac, slab, batchcount);
                        fixupSlabList(n, slab);
                    }
                    n.freeObjects -= ac.avail;
                    n.listAllocs += ac.avail;
                    n.numActive += ac.avail;
                }
            } finally {
                n.listLock.unlock();
            }
        }
        if (ac.avail == 0) {
            Slab slab = cacheGrowBegin(node);
            // The constructor may have allocated from this very cache and refilled the array meanwhile.
            if (ac.avail == 0) {
                allocBlock(ac, slab, batchcount);
            }
            cacheGrowEnd(slab);
        }
        noteActive();
        ac.touched = true;
        return takeEntry(ac.entry[--ac.avail]);
    }

    /** {@code STATS_SET_HIGH}: the high-water mark of objects out of the slabs, summed racily over the nodes. */
    private void noteActive() {
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
        ThreadCpu cpu = sys.cpu();
        if (node == cpu.node) {
            return alloc(h);
        }
        MemorySegment obj = allocFromNode(cpu, h, node);
        return debug == null ? obj : debugAlloc(obj);
    }

    /** {@code ____cache_alloc_node}. */
    private MemorySegment allocFromNode(ThreadCpu cpu, CacheHandle h, int node) {
        KmemCacheNode n = nodes[node];
        Slab slab;
        int index = 0;
        n.listLock.lock();
        try {
            slab = getFirstSlab(n);
            if (slab != null) {
                n.nodeAllocs++;
                n.listAllocs++;
                n.numActive++;
                index = slab.getObj();
                n.freeObjects--;
                fixupSlabList(n, slab);
            }
        } finally {
            n.listLock.unlock();
        }
        if (slab == null) {
            slab = cacheGrowBegin(node);
            index = slab.getObj();
            cacheGrowEnd(slab);
        }
        slab.state[index] = Slab.ALLOCATED;
        noteActive();
        countOn(cpu, h, 0);
        return slab.objs[index];
    }

    /** Counts an allocation (0) or free (1) that bypassed the arrays, in the calling CPU's array for {@code h}. */
    private void countOn(ThreadCpu cpu, CacheHandle h, int which) {
        if (cpu.lock == null) {
            count(arrayOf(cpu), h, which);
            return;
        }
        cpu.lock.lock();
        try {
            count(arrayOf(cpu), h, which);
        } finally {
            cpu.lock.unlock();
        }
    }

    private static void count(ArrayCache ac, CacheHandle h, int which) {
        if (which == 0) {
            ac.countAlloc(h.aliasIndex);
        } else {
            ac.countFree(h.aliasIndex);
        }
    }

    /** {@code get_first_slab}: a partial slab, else a free one. */
    private static Slab getFirstSlab(KmemCacheNode n) {
        Slab slab = n.slabsPartial.first();
        if (slab == null) {
            n.freeTouched = true;
            slab = n.slabsFree.first();
            if (slab != null) {
                n.freeSlabs--;
            }
        }
        return slab;
    }

    /** {@code alloc_block}: moves up to {@code batchcount} objects of {@code slab} into the array. */
    private int allocBlock(ArrayCache ac, Slab slab, int batchcount) {
        int num = layout.num();
        while (slab.active < num && batchcount-- > 0) {
            ac.push(slab, slab.getObj());
        }
        return batchcount;
    }

    /** {@code fixup_slab_list}: files a slab under full or partial after objects were taken. */
    private void fixupSlabList(KmemCacheNode n, Slab slab) {
        if (slab.list != null) {
            slab.list.remove(slab);
        }
        if (slab.active == layout.num()) {
            n.slabsFull.addHead(slab);
            slab.dropObjFreelistIfFull();
        } else {
            n.slabsPartial.addHead(slab);
        }
    }

    /**
     * {@code cache_grow_begin}: pages from the node's buddy allocator, a colour, the freelist, and
     * {@code cache_init_objs}. The slab is not yet on any list.
     */
    private Slab cacheGrowBegin(int node) {
        PageBlock block;
        try {
            block = sys.pages.allocPages(node, layout.order());
        } catch (PageAllocator.PagesRefused e) {
            stats.errors.incrementAndGet();
            throw new SlabOutOfMemoryException(
                    "cache '" + name + "': cannot grow a slab of " + (1 << layout.order()) + " page(s) on node " + node
                            + ": " + e.getMessage(),
                    e.getCause());
        }
        KmemCacheNode n = nodes[node];
        int offset;
        n.listLock.lock();
        try {
            n.colourNext++;
            if (n.colourNext >= layout.colour()) {
                n.colourNext = 0;
            }
            offset = n.colourNext;
        } finally {
            n.listLock.unlock();
        }
        MemorySegment offSlab = null;
        try {
            if (layout.mode() == FreelistMode.OFF_SLAB) {
                offSlab = freelistCache.alloc(freelistCache.primary);
            }
            Slab slab = new Slab(this, block, node, offset * layout.colourOff(), offSlab);
            cacheInitObjs(slab);
            slab.id = slabTable.register(slab);
            sys.pageMap.add(slab);
            return slab;
        } catch (RuntimeException | Error e) {
            if (offSlab != null) {
                freelistCache.free(freelistCache.primary, offSlab);
            }
            sys.pages.freePages(block);
            stats.errors.incrementAndGet();
            if (e instanceof SlabOutOfMemoryException) {
                throw e;
            }
            throw new IllegalStateException(
                    "cache '" + name + "': the constructor failed while a new slab was initialised; the slab was "
                            + "discarded and the cache is unchanged",
                    e);
        }
    }

    /** {@code cache_grow_end}: puts the new slab on the node's lists. */
    private void cacheGrowEnd(Slab slab) {
        KmemCacheNode n = nodes[slab.node];
        n.listLock.lock();
        try {
            if (slab.objs[0].byteSize() != objectSize) { // a merge raised the size while the slab was grown
                slab.recut(objectSize);
            }
            n.totalSlabs++;
            if (slab.active == 0) {
                n.slabsFree.addTail(slab);
                n.freeSlabs++;
            } else {
                fixupSlabList(n, slab);
            }
            n.freeObjects += layout.num() - slab.active;
            n.listAllocs += slab.active; // taken by alloc_block before the slab was listed
            n.numActive += slab.active;
        } finally {
            n.listLock.unlock();
        }
        stats.grown.incrementAndGet();
        SlabEvents.slabGrow(name, slab.node, layout.order());
        noteActive();
    }

    /** {@code cache_init_objs}: runs the constructor on every object and lays out the initial freelist. */
    private void cacheInitObjs(Slab slab) {
        if (debug != null) {
            debug.initObjs(slab);
        }
        // A poisoned cache runs its constructor on every allocation instead, after the poison check.
        SlabCtor ctor = debug != null && debug.poison ? null : this.ctor;
        boolean shuffled = shuffleFreelist(slab);
        int num = layout.num();
        if (!shuffled && layout.mode() == FreelistMode.OBJFREELIST) {
            slab.placeFreelistIn(num - 1);
        }
        for (int i = 0; i < num; i++) {
            if (ctor != null) {
                ctor.construct(slab.objs[i]);
            }
            if (!shuffled) {
                slab.setFreeObj(i, i);
            }
        }
    }

    /**
     * {@code shuffle_freelist} (CONFIG_SLAB_FREELIST_RANDOM): before the boot is {@code FULL} a Fisher–Yates shuffle
     * per slab; afterwards the cache's precomputed {@link #randomSeq} read from a random start.
     */
    private boolean shuffleFreelist(Slab slab) {
        int count = layout.num();
        if (random == null || count < 2) {
            return false;
        }
        int[] seq = randomSeq;
        int pos = seq == null ? 0 : random.nextInt(count);
        int objfreelist = 0;
        if (layout.mode() == FreelistMode.OBJFREELIST) {
            if (seq == null) {
                objfreelist = count - 1;
            } else {
                objfreelist = seq[pos];
                pos = (pos + 1) % count;
            }
            slab.placeFreelistIn(objfreelist);
            count--;
        }
        if (seq == null) {
            int[] list = identity(count);
            fisherYates(list, random);
            for (int i = 0; i < count; i++) {
                slab.setFreeObj(i, list[i]);
            }
        } else {
            for (int i = 0; i < count; i++) {
                slab.setFreeObj(i, seq[pos]);
                pos = (pos + 1) % seq.length;
            }
        }
        if (layout.mode() == FreelistMode.OBJFREELIST) {
            slab.setFreeObj(layout.num() - 1, objfreelist);
        }
        return true;
    }

    /** {@code cache_random_seq_create}: a Fisher–Yates shuffled sequence of {@code 0..num-1}. */
    void createRandomSeq() {
        if (random != null && layout.num() >= 2) {
            int[] seq = identity(layout.num());
            fisherYates(seq, random);
            randomSeq = seq;
        }
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    private static void fisherYates(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Free

    /**
     * {@code kmem_cache_free} through handle {@code h}: the segment is checked against the page descriptors, then
     * pushed on the calling thread's array (the same fast path as {@link #alloc}).
     *
     * @throws IllegalArgumentException naming the cache when {@code object} is not an object of this cache
     * @throws IllegalStateException naming the cache when the object is already free (a double free)
     */
    public void free(CacheHandle h, MemorySegment object) {
        if (h.deadReason != null) {
            freeDead(h, object);
            return;
        }
        free(h, null, object);
    }

    /**
     * A free through a handle that is dead. Refused with the handle's reason, except for an object of a destroyed cache
     * that a caller still holds (its allocation overlapped the destroy, see {@link SlabSystem#destroy}): that object goes
     * straight back to its slab, and the slab, once free, goes too.
     */
    private void freeDead(CacheHandle h, MemorySegment object) {
        if (!dead || sys.isClosed()) {
            h.checkLive(); // throws, naming the reason
        }
        Slab slab = slabOf(object, "free");
        int idx = objectIndex(slab, object, "free");
        if (slab.state[idx] != Slab.ALLOCATED) {
            throw new IllegalStateException("cache '" + name + "': this cache has been destroyed, and "
                    + describe(object) + " is not one of its objects still allocated");
        }
        slab.state[idx] = 0;
        freeToSlab(slab, idx);
    }

    /** Returns object {@code index} of {@code slab} straight to its slab, bypassing every array. */
    private void freeToSlab(Slab slab, int index) {
        KmemCacheNode n = nodes[slab.node];
        List<Slab> list;
        n.listLock.lock();
        try {
            list = freeBlock(new long[] {ArrayCache.entryOf(slab, index)}, 1, n);
        } finally {
            n.listLock.unlock();
        }
        slabsDestroy(list);
    }

    /**
     * {@code kmem_cache_destroy}'s point of no return, under {@code slab_mutex}: no new objects, the fast paths stop
     * finding this cache's arrays, and from now on every slab that becomes free is destroyed at once.
     */
    void kill() {
        dead = true;
        kfreeHandle = null;
        synchronized (arraysLock) {
            fastArrays.clear();
        }
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
     * {@link #free(CacheHandle, MemorySegment)} through the calling thread's array: the fast path of a platform thread,
     * under the stripe's lock for a virtual thread, else (and for every error) the checked path.
     *
     * @param known the object's slab if the caller found it already ({@code kfree}), else {@code null}: the thread's
     *     slab hint is tried, then the page descriptors
     */
    void free(CacheHandle h, Slab known, MemorySegment object) {
        ArrayCache ac = ownFastArray(Thread.currentThread().threadId());
        if (ac != null) {
            if (object != null && fastFree(ac, h, known != null ? known : sys.pageMap.find(object.address()), object)) {
                return;
            }
        } else {
            ThreadCpu cpu = sys.cpu();
            if (cpu.lock != null) {
                freeStriped(cpu, h, known, object);
                return;
            }
        }
        freeFromSlab(h, known != null ? known : slabOf(object, "free"), object);
    }

    /**
     * @return the live handle {@code kfree} counts against ({@link #kfreeHandle})
     * @throws IllegalStateException naming the cache when it was destroyed or its allocator closed
     */
    CacheHandle kfreeHandle() {
        CacheHandle h = kfreeHandle;
        if (h == null) {
            throw new IllegalStateException("cache '" + name + "': "
                    + (sys.isClosed() ? "the allocator is closed" : "this cache has been destroyed"));
        }
        return h;
    }

    /** Recomputes {@link #kfreeHandle} after a handle died; under {@code slab_mutex}. */
    void updateKfreeHandle() {
        CacheHandle live = null;
        if (!dead) {
            for (CacheHandle h : handles) {
                if (h.isLive()) {
                    live = h;
                    break;
                }
            }
        }
        kfreeHandle = live;
    }

    /** @return the fast-path array of the platform thread {@code tid}, or {@code null} if it has none */
    ArrayCache ownFastArray(long tid) {
        return (ArrayCache) fastArrays.get(tid);
    }

    /**
     * {@link #free} by a virtual thread: under its stripe's lock, the fast path of a platform thread (on the slab
     * {@code kfree} found, else the stripe's slab hint), else the checked path, which takes the (reentrant) lock again.
     *
     * @param known the object's slab if the caller found it, else {@code null}
     */
    private void freeStriped(ThreadCpu cpu, CacheHandle h, Slab known, MemorySegment object) {
        cpu.lock.lock();
        try {
            ArrayCache ac = arrayOf(cpu);
            Slab slab = known != null || object == null ? known : sys.pageMap.find(object.address());
            if (!fastFree(ac, h, slab, object)) {
                freeFromSlab(h, known != null ? known : slabOf(object, "free"), object);
            }
        } finally {
            cpu.lock.unlock();
        }
    }

    /**
     * The fast path of {@link #free}: an object of {@code slab} (the slab the thread's previous checked free found, or
     * the one {@code kfree} found), going back onto the thread's own array with room, with no debug or init-on-free
     * work. The segment must be the very instance the slab cut for that object ({@code slab.objs[index] == object}):
     * one reference comparison that proves it native, of this slab, at an object start and full length, so that no
     * other check is needed here. Anything else (another segment over the same memory, and every error) takes the
     * checked path.
     *
     * @param slab a slab of this cache, or {@code null}
     * @return whether the object was freed
     */
    private boolean fastFree(ArrayCache ac, CacheHandle h, Slab slab, MemorySegment object) {
        int avail = ac.avail;
        long[] entry = ac.entry; // as long as the limit
        // Unsigned, as the range check of entry[avail] below, which the JIT then drops.
        if (slab == null
                || slab.cache != this // the page map's answer may be a slab of another cache
                || Integer.compareUnsigned(avail, entry.length) >= 0
                || slab.node != ac.fastFreeNode) {
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

    /**
     * {@code __cache_free} for an object already found on {@code slab}: the object-start and double-free checks, the
     * debug checks, then the thread's array (or the alien cache).
     */
    void freeFromSlab(CacheHandle h, Slab slab, MemorySegment object) {
        int idx = objectIndex(slab, object, "free");
        // A plain read and write: sequential double frees are always caught; two threads racing to free the same
        // object twice may both pass (catching that would cost an atomic on every free).
        if (slab.state[idx] != Slab.ALLOCATED) {
            throw doubleFree(object);
        }
        slab.state[idx] = 0;
        if (debug != null) {
            debug.beforeFree(slab, idx, slab.objs[idx]);
        }
        freeSlow(h, slab, idx);
    }

    /** The free path of object {@code index} of {@code slab} through the calling thread's {@link ThreadCpu}. */
    private void freeSlow(CacheHandle h, Slab slab, int index) {
        ThreadCpu cpu = sys.cpu();
        if (cpu.lock == null) {
            freeOn(cpu, h, slab, index);
            return;
        }
        cpu.lock.lock();
        try {
            freeOn(cpu, h, slab, index);
        } finally {
            cpu.lock.unlock();
        }
    }

    /**
     * {@code ___cache_free}: an object of another node goes to that node through an alien cache
     * ({@code cache_free_alien}); otherwise it is pushed onto the CPU's array, after flushing a batch if it is full.
     */
    private void freeOn(ThreadCpu cpu, CacheHandle h, Slab slab, int index) {
        sys.ownerReap(cpu);
        if (dead) { // an allocation that overlapped destroy: no array of a dead cache takes objects
            freeToSlab(slab, index);
            return;
        }
        ArrayCache ac = arrayOf(cpu);
        if (initOnFree) {
            slab.objs[index].fill((byte) 0);
        }
        if (slab.node != cpu.node) {
            ac.countFree(h.aliasIndex);
            cacheFreeAlien(cpu, slab, index);
            return;
        }
        if (ac.avail >= ac.limit) {
            ac.freeMiss++;
            cacheFlusharray(cpu, ac);
        }
        ac.push(slab, index);
        ac.countFree(h.aliasIndex);
    }

    /** {@code __cache_free_alien}: through the local node's alien cache for {@code pageNode}, else straight home. */
    private void cacheFreeAlien(ThreadCpu cpu, Slab slab, int index) {
        int pageNode = slab.node;
        stats.remoteFrees.incrementAndGet();
        AlienCache[] aliens = nodes[cpu.node].alien;
        AlienCache alien = aliens == null ? null : aliens[pageNode];
        List<Slab> list = null;
        if (alien != null) {
            alien.lock.lock();
            try {
                ArrayCache ac = alien.ac;
                if (ac.avail == ac.limit) {
                    stats.alienOverflow.incrementAndGet();
                    list = drainAlienCache(ac, pageNode);
                }
                ac.push(slab, index);
            } finally {
                alien.lock.unlock();
            }
            slabsDestroy(list);
        } else {
            freeToSlab(slab, index);
        }
    }

    /**
     * {@code __drain_alien_cache}: hands an alien cache's objects to their node, its shared array first. The caller
     * holds the alien cache's lock.
     */
    List<Slab> drainAlienCache(ArrayCache ac, int node) {
        if (ac.avail == 0) {
            return null;
        }
        KmemCacheNode n = nodes[node];
        n.listLock.lock();
        try {
            if (n.shared != null) {
                n.shared.transferFrom(ac, ac.limit);
            }
            List<Slab> list = freeBlock(ac, ac.avail, n);
            ac.avail = 0;
            return list;
        } finally {
            n.listLock.unlock();
        }
    }

    /** {@code cache_flusharray}: moves the oldest {@code batchcount} entries to the shared array or the slabs. */
    private void cacheFlusharray(ThreadCpu cpu, ArrayCache ac) {
        drain.adoptTunables(cpu, ac);
        if (ac.avail < ac.limit) { // adopting a larger limit made room
            return;
        }
        int batchcount = ac.batchcount;
        KmemCacheNode n = nodes[cpu.node];
        List<Slab> list = null;
        n.listLock.lock();
        try {
            ArrayCache shared = n.shared;
            int max = shared == null ? 0 : shared.limit - shared.avail;
            if (max > 0) {
                batchcount = Math.min(batchcount, max);
                shared.appendOldest(ac, batchcount);
            } else {
                list = freeBlock(ac, batchcount, n);
            }
            n.maxFreeable = Math.max(n.maxFreeable, n.slabsFree.size());
        } finally {
            n.listLock.unlock();
        }
        // Before slabsDestroy: giving an OFF_SLAB freelist back to kmalloc may re-enter this thread's arrays.
        ac.shiftOut(batchcount);
        slabsDestroy(list);
    }

    /**
     * {@code free_block}: returns objects to their slabs under {@code n}'s list lock, then unlinks free slabs beyond
     * {@code free_limit}.
     *
     * @return the slabs to destroy once the lock is dropped, or {@code null}
     */
    List<Slab> freeBlock(ArrayCache ac, int nr, KmemCacheNode n) {
        return freeBlock(ac.entry, nr, n);
    }

    /** {@link #freeBlock(ArrayCache, int, KmemCacheNode)} for the first {@code nr} array entries. */
    private List<Slab> freeBlock(long[] entry, int nr, KmemCacheNode n) {
        n.freeObjects += nr;
        n.numActive -= nr;
        Slab[] slabs = slabsById;
        for (int i = 0; i < nr; i++) {
            Slab slab = slabs[ArrayCache.slabId(entry[i])];
            slab.list.remove(slab);
            slab.putObj(ArrayCache.index(entry[i]));
            if (slab.active == 0) {
                n.slabsFree.addHead(slab);
                n.freeSlabs++;
            } else {
                // Unconditionally to the tail: the most time for its other objects to be freed too.
                n.slabsPartial.addTail(slab);
            }
        }
        List<Slab> list = null;
        while (n.freeObjects > n.freeLimit && !n.slabsFree.isEmpty()) {
            n.freeObjects -= layout.num();
            Slab slab = n.slabsFree.last();
            n.slabsFree.remove(slab);
            n.freeSlabs--;
            n.totalSlabs--;
            if (list == null) {
                list = new ArrayList<>();
            }
            list.add(slab);
        }
        return list;
    }

    /** {@code slabs_destroy}: frees unlinked slabs' freelists and pages. */
    void slabsDestroy(List<Slab> list) {
        if (list != null) {
            for (Slab slab : list) {
                slabDestroy(slab);
            }
        }
    }

    /** {@code slab_destroy}: one unlinked slab's freelist and pages. */
    void slabDestroy(Slab slab) {
        if (debug != null) {
            debug.beforeDestroy(slab);
        }
        slab.destroyed = true;
        if (slab.offSlabFreelist != null) {
            freelistCache.free(freelistCache.primary, slab.offSlabFreelist);
        }
        sys.pageMap.remove(slab); // before the pages can become another slab's
        slabTable.release(slab);
        sys.pages.freePages(slab.block);
        SlabEvents.slabDestroy(name, slab.node, layout.order());
    }

    // ------------------------------------------------------------------------------------------------------------
    // Object lookup and validation

    /**
     * {@code virt_to_cache} with the checks a Java caller needs: the segment must be native memory of this allocator,
     * on a page of a slab of this cache.
     */
    Slab slabOf(MemorySegment object, String op) {
        if (object == null) {
            throw new IllegalArgumentException("cache '" + name + "': cannot " + op + " a null segment");
        }
        Slab slab = object.isNative() ? sys.pageMap.find(object.address()) : null;
        if (slab != null && slab.cache == this && !slab.destroyed) {
            return slab;
        }
        String why;
        if (slab != null && !slab.destroyed) {
            why = "it belongs to cache '" + slab.cache.name + "'";
        } else if (object.isNative() && sys.pages.chunkOf(object.address()) != null) {
            why = "it lies on a page that holds no slab (already freed with its slab, or never allocated)";
        } else {
            why = "it was not allocated by this allocator";
        }
        throw new IllegalArgumentException("cache '" + name + "': cannot " + op + " " + describe(object) + ": " + why);
    }

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
     * @return the index of the object at {@code object}'s address, after checking it is an object start and the very
     *     segment the cache handed out for it (not a slice, a read-only view, or a segment made from the address)
     */
    private int objectIndex(Slab slab, MemorySegment object, String op) {
        int idx = slab.objToIndex(object.address());
        if (idx < 0) {
            throw insideAnObject(object, op);
        }
        if (!slab.handedOut(idx, object)) {
            throw new IllegalArgumentException("cache '" + name + "': cannot " + op + " " + describe(object)
                    + ": it is not the segment that was handed out for the object at that address (a slice, a"
                    + " read-only view, a segment made from the address, or one of an object freed before); pass the"
                    + " very segment that alloc returned");
        }
        return idx;
    }

    /** Checks that {@code object} starts an object of {@code slab}, naming {@code op} and the cache if not. */
    void checkObjectStart(Slab slab, MemorySegment object, String op) {
        objectIndex(slab, object, op);
    }

    private IllegalStateException doubleFree(MemorySegment object) {
        return new IllegalStateException("cache '" + name + "': double free of " + describe(object)
                + ": the object is already free; the second free was refused and nothing changed");
    }

    private IllegalArgumentException insideAnObject(MemorySegment object, String op) {
        return new IllegalArgumentException("cache '" + name + "': cannot " + op + " " + describe(object)
                + ": it points inside an object, not at its start (objects are " + layout.size() + " bytes apart)");
    }

    private static String describe(MemorySegment s) {
        return "the segment at 0x" + Long.toHexString(s.address()) + " (" + s.byteSize() + " bytes)";
    }

    /**
     * Raises {@code object_size} for a merged request ({@code __kmem_cache_alias}) and re-cuts the segments of every
     * listed slab; a slab being grown meanwhile is re-cut when {@link #cacheGrowEnd} lists it. Arrays hold slab and
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
