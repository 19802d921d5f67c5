package org.slab4j.internal.slab;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slab4j.FreelistMode;
import org.slab4j.SlabCtor;
import org.slab4j.SlabGeometry;
import org.slab4j.SlabOutOfMemoryException;
import org.slab4j.internal.page.Chunk;
import org.slab4j.internal.page.PageAllocator;
import org.slab4j.internal.page.PageBlock;
import org.slab4j.internal.slab.ThreadCpu.CpuSlot;

/**
 * {@code struct kmem_cache} and the object paths of {@code mm/slab.c}: {@code ____cache_alloc},
 * {@code cache_alloc_refill}, {@code cache_grow_begin}/{@code cache_grow_end}, {@code ___cache_free},
 * {@code cache_flusharray}, {@code free_block}, {@code drain_freelist}.
 *
 * <pre>
 *  alloc:  thread's ArrayCache ──hit──▶ object
 *            └─miss─▶ cacheAllocRefill: node's shared array ─▶ slabs_partial ─▶ slabs_free ─▶ cacheGrow
 *  free:   thread's ArrayCache ──room──▶ pushed
 *            └─full─▶ cacheFlusharray: batchcount oldest ─▶ shared array, else freeBlock ─▶ slab lists
 *                       (free slabs beyond free_limit are destroyed, their pages back to the buddy allocator)
 * </pre>
 *
 * <p>Differences from the kernel, and why: a "CPU" is a {@link ThreadCpu} (a platform thread, or a stripe shared by
 * virtual threads under a lock) since the JVM cannot pin code to a CPU with interrupts off; every object's
 * {@link MemorySegment} is cut once per slab so the fast paths never allocate; a freed segment is checked against the
 * page descriptors before it is accepted, because a Java caller can hand us any segment.
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
    /** {@code object_size}: raised (never lowered) when a larger request merges in; guarded by {@code slab_mutex}. */
    volatile long objectSize;
    /** {@code cachep->random_seq} once the cache is fully set up and randomisation is on. */
    int[] randomSeq;

    private final Random random;
    /** Current tunables; threads adopt a new value on their next slow path. */
    volatile Tunables tunables = Tunables.BOOT;
    /** Every thread's array for this cache, for statistics, draining and destroy. */
    final List<ArrayCache> arrays = new CopyOnWriteArrayList<>();
    /** Handles (the name and aliases) that keep the cache alive ({@code refcount}); guarded by {@code slab_mutex}. */
    int refcount;
    /** The handle of the cache's own name, used for internal allocations (OFF_SLAB freelists, descriptors). */
    CacheHandle primary;
    /** The cache's descriptor in the {@code kmem_cache} cache. */
    MemorySegment descriptor;
    /** Set when the cache is gone; objects can no longer be freed into it. */
    volatile boolean dead;

    final Stats stats = new Stats();

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
        this.objectSize = layout.objectSize();
        this.random = sys.freelistRandom ? new Random(seed) : null;
        this.nodes = new KmemCacheNode[sys.nodeCount];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = new KmemCacheNode(i);
            nodes[i].freeLimit = Tunables.BOOT.freeLimit(sys.cpusOfNode(), layout.num());
        }
    }

    /** Counters behind the slabinfo statistics columns; each is updated under a node lock or atomically. */
    static final class Stats {
        final AtomicLong grown = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong retiredAllocMiss = new AtomicLong();
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
     * @throws SlabOutOfMemoryException when a slab must be grown and no memory is left
     */
    public MemorySegment alloc(CacheHandle h) {
        ThreadCpu cpu = sys.cpu();
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

    /** {@code ____cache_alloc}: pop from the thread's array, refill it when empty. */
    private MemorySegment allocOn(ThreadCpu cpu, CacheHandle h) {
        CpuSlot[] slots = cpu.slots;
        int hid = h.id;
        CpuSlot s;
        if (hid >= slots.length || (s = slots[hid]) == null) {
            s = sys.newSlot(cpu, h);
        }
        ArrayCache ac = s.ac;
        int avail = ac.avail;
        MemorySegment obj;
        if (avail > 0) {
            ac.touched = true;
            ac.avail = --avail;
            obj = ac.entry[avail];
        } else {
            obj = cacheAllocRefill(cpu, ac);
        }
        s.allocs++;
        if (obj.byteSize() != objectSize) { // cut before a merge raised object_size
            obj = resliced(obj);
        }
        return obj;
    }

    /** {@code cache_alloc_refill}. */
    private MemorySegment cacheAllocRefill(ThreadCpu cpu, ArrayCache ac) {
        adoptTunables(cpu, ac);
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
        ac.touched = true;
        return ac.entry[--ac.avail];
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
            ac.entry[ac.avail++] = slab.getObj();
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
            block.chunk().setOwner(block.page(), block.order(), slab);
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
            n.totalSlabs++;
            if (slab.active == 0) {
                n.slabsFree.addTail(slab);
                n.freeSlabs++;
            } else {
                fixupSlabList(n, slab);
            }
            n.freeObjects += layout.num() - slab.active;
        } finally {
            n.listLock.unlock();
        }
        stats.grown.incrementAndGet();
    }

    /** {@code cache_init_objs}: runs the constructor on every object and lays out the initial freelist. */
    private void cacheInitObjs(Slab slab) {
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
     * {@code kmem_cache_free} through handle {@code h}.
     *
     * @throws IllegalArgumentException naming the cache when {@code object} is not an object of this cache
     */
    public void free(CacheHandle h, MemorySegment object) {
        Slab slab = slabOf(object, "free");
        MemorySegment obj = canonical(slab, object, "free");
        ThreadCpu cpu = sys.cpu();
        if (cpu.lock == null) {
            freeOn(cpu, h, obj);
            return;
        }
        cpu.lock.lock();
        try {
            freeOn(cpu, h, obj);
        } finally {
            cpu.lock.unlock();
        }
    }

    /** {@code ___cache_free}: push onto the thread's array, flushing a batch first when it is full. */
    private void freeOn(ThreadCpu cpu, CacheHandle h, MemorySegment obj) {
        CpuSlot[] slots = cpu.slots;
        int hid = h.id;
        CpuSlot s;
        if (hid >= slots.length || (s = slots[hid]) == null) {
            s = sys.newSlot(cpu, h);
        }
        if (initOnFree) {
            obj.fill((byte) 0);
        }
        ArrayCache ac = s.ac;
        if (ac.avail >= ac.limit) {
            ac.freeMiss++;
            cacheFlusharray(cpu, ac);
        }
        ac.entry[ac.avail++] = obj;
        s.frees++;
    }

    /** {@code cache_flusharray}: moves the oldest {@code batchcount} entries to the shared array or the slabs. */
    private void cacheFlusharray(ThreadCpu cpu, ArrayCache ac) {
        adoptTunables(cpu, ac);
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
                System.arraycopy(ac.entry, 0, shared.entry, shared.avail, batchcount);
                shared.avail += batchcount;
            } else {
                list = freeBlock(ac.entry, 0, batchcount, n);
            }
        } finally {
            n.listLock.unlock();
        }
        slabsDestroy(list);
        ac.shiftOut(batchcount);
    }

    /**
     * {@code free_block}: returns objects to their slabs under {@code n}'s list lock, then unlinks free slabs beyond
     * {@code free_limit}.
     *
     * @return the slabs to destroy once the lock is dropped, or {@code null}
     */
    List<Slab> freeBlock(MemorySegment[] objs, int from, int nr, KmemCacheNode n) {
        n.freeObjects += nr;
        for (int i = from; i < from + nr; i++) {
            MemorySegment obj = objs[i];
            Slab slab = (Slab) sys.pages.chunkOf(obj.address()).owner(obj.address());
            slab.list.remove(slab);
            slab.putObj(slab.objToIndex(obj.address()));
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

    private void slabDestroy(Slab slab) {
        if (slab.offSlabFreelist != null) {
            freelistCache.free(freelistCache.primary, slab.offSlabFreelist);
        }
        sys.pages.freePages(slab.block);
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
        long address = object.address();
        Chunk chunk = object.isNative() ? sys.pages.chunkOf(address) : null;
        if (chunk == null) {
            throw new IllegalArgumentException("cache '" + name + "': cannot " + op + " " + describe(object)
                    + ": it was not allocated by this allocator");
        }
        if (!(chunk.owner(address) instanceof Slab slab)) {
            throw new IllegalArgumentException("cache '" + name + "': cannot " + op + " " + describe(object)
                    + ": it lies on a page that holds no slab (already freed with its slab, or never allocated)");
        }
        if (slab.cache != this) {
            throw new IllegalArgumentException("cache '" + name + "': cannot " + op + " " + describe(object)
                    + ": it belongs to cache '" + slab.cache.name + "'");
        }
        return slab;
    }

    /** @return the slab's own segment for {@code object}, after checking it is an object start */
    MemorySegment canonical(Slab slab, MemorySegment object, String op) {
        int idx = slab.objToIndex(object.address());
        if (idx < 0) {
            throw new IllegalArgumentException("cache '" + name + "': cannot " + op + " " + describe(object)
                    + ": it points inside an object, not at its start (objects are " + layout.size()
                    + " bytes apart)");
        }
        return slab.objs[idx];
    }

    private MemorySegment resliced(MemorySegment obj) {
        Slab slab = slabOf(obj, "allocate");
        return canonical(slab, obj, "allocate");
    }

    private static String describe(MemorySegment s) {
        return "the segment at 0x" + Long.toHexString(s.address()) + " (" + s.byteSize() + " bytes)";
    }

    /**
     * Raises {@code object_size} for a merged request ({@code __kmem_cache_alias}) and re-cuts the segments of every
     * slab; segments already in thread arrays are re-cut when they are next handed out.
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

    // ------------------------------------------------------------------------------------------------------------
    // Tunables, draining, shrinking

    /**
     * {@code do_tune_cpucache}: installs new tunables, rebuilds the shared arrays and free limits. Threads adopt the
     * new array size on their next refill or flush (the owner resizes its own array: no cross-thread access to it).
     */
    void tune(Tunables t) {
        tunables = t;
        for (KmemCacheNode n : nodes) {
            List<Slab> list = null;
            n.listLock.lock();
            try {
                ArrayCache old = n.shared;
                n.shared = t.shared() > 0 ? new ArrayCache(null, this, t.shared() * t.batchcount(), t) : null;
                if (old != null && old.avail > 0) {
                    list = freeBlock(old.entry, 0, old.avail, n);
                }
                n.freeLimit = t.freeLimit(sys.cpusOfNode(), layout.num());
            } finally {
                n.listLock.unlock();
            }
            slabsDestroy(list);
        }
    }

    /** Brings a thread's array to the cache's current tunables; the caller owns the array. */
    private void adoptTunables(ThreadCpu cpu, ArrayCache ac) {
        Tunables t = tunables;
        if (ac.tunables == t) {
            return;
        }
        ac.tunables = t;
        ac.batchcount = t.batchcount();
        if (ac.avail > t.limit()) {
            drainArray(ac, cpu.node, ac.avail - t.limit());
        }
        if (ac.entry.length != t.limit()) {
            ac.entry = Arrays.copyOf(ac.entry, t.limit());
        }
        ac.limit = t.limit();
    }

    /** Frees the oldest {@code tofree} entries of an array to the slabs of {@code node} ({@code drain_array_locked}). */
    void drainArray(ArrayCache ac, int node, int tofree) {
        if (tofree <= 0) {
            return;
        }
        KmemCacheNode n = nodes[node];
        List<Slab> list;
        n.listLock.lock();
        try {
            list = freeBlock(ac.entry, 0, tofree, n);
        } finally {
            n.listLock.unlock();
        }
        slabsDestroy(list);
        ac.shiftOut(tofree);
    }

    /** {@code drain_freelist}: destroys up to {@code tofree} free slabs of node {@code n}. */
    int drainFreelist(KmemCacheNode n, long tofree) {
        int freed = 0;
        while (freed < tofree) {
            Slab slab;
            n.listLock.lock();
            try {
                slab = n.slabsFree.last();
                if (slab == null) {
                    break;
                }
                n.slabsFree.remove(slab);
                n.freeSlabs--;
                n.totalSlabs--;
                n.freeObjects -= layout.num();
            } finally {
                n.listLock.unlock();
            }
            slabDestroy(slab);
            freed++;
        }
        return freed;
    }

    /**
     * {@code __kmem_cache_shrink}: empties the calling thread's array and those of threads that have ended, the shared
     * arrays, and then every free slab. Arrays of other live threads are theirs to drain.
     */
    void shrink(ThreadCpu self) {
        for (ArrayCache ac : arrays) {
            ThreadCpu owner = ac.owner;
            if (owner.lock != null) { // a stripe: whoever holds its lock may drain it
                owner.lock.lock();
                try {
                    drainArray(ac, owner.node, ac.avail);
                } finally {
                    owner.lock.unlock();
                }
            } else if (owner == self || owner.isDead()) {
                drainArray(ac, owner.node, ac.avail);
            }
        }
        for (KmemCacheNode n : nodes) {
            List<Slab> list = null;
            n.listLock.lock();
            try {
                ArrayCache shared = n.shared;
                if (shared != null && shared.avail > 0) {
                    list = freeBlock(shared.entry, 0, shared.avail, n);
                    shared.avail = 0;
                }
            } finally {
                n.listLock.unlock();
            }
            slabsDestroy(list);
            drainFreelist(n, Long.MAX_VALUE);
        }
    }

    /** Forgets the array of a thread that has ended, after it was drained, keeping its miss counts. */
    void retire(ArrayCache ac) {
        if (arrays.remove(ac)) {
            stats.retiredAllocMiss.addAndGet(ac.allocMiss);
            stats.retiredFreeMiss.addAndGet(ac.freeMiss);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Numbers

    /** A consistent-enough reading of the cache for slabinfo, per {@code get_slabinfo}. */
    record Info(long activeObjs, long numObjs, long activeSlabs, long numSlabs, long sharedAvail, long cached) {}

    Info info() {
        long totalSlabs = 0;
        long freeSlabs = 0;
        long freeObjs = 0;
        long sharedAvail = 0;
        for (KmemCacheNode n : nodes) {
            n.listLock.lock();
            try {
                totalSlabs += n.totalSlabs;
                freeSlabs += n.freeSlabs;
                freeObjs += n.freeObjects;
                if (n.shared != null) {
                    sharedAvail += n.shared.avail;
                }
            } finally {
                n.listLock.unlock();
            }
        }
        long cached = sharedAvail;
        for (ArrayCache ac : arrays) {
            cached += ac.avail;
        }
        long numObjs = totalSlabs * layout.num();
        return new Info(numObjs - freeObjs, numObjs, totalSlabs - freeSlabs, totalSlabs, sharedAvail, cached);
    }
}
