package org.slab4j.internal.slab;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.slab4j.FreelistMode;
import org.slab4j.SlabCtor;
import org.slab4j.SlabOutOfMemoryException;
import org.slab4j.internal.event.SlabEvents;
import org.slab4j.internal.page.PageAllocator;
import org.slab4j.internal.page.PageBlock;

/**
 * Slab growth for one {@link SlabCache}: {@code cache_grow_begin}, {@code cache_grow_end}, {@code cache_init_objs},
 * {@code shuffle_freelist} and {@code cache_random_seq_create}.
 *
 * <p>The algorithm: (1) pages of the cache's order from the node's buddy allocator; (2) the next colour of the node,
 * under its list lock; (3) the freelist placed (OFF_SLAB: a kmalloc object; ON_SLAB: the slab's end; OBJFREELIST:
 * inside one of its free objects); (4) the constructor run on every object and the freelist laid out, in order or
 * shuffled; (5) the slab given an id ({@link SlabTable}) and its pages entered in the {@link PageMap}; (6) once the
 * caller has taken what it needs ({@code alloc_block}), the slab is listed on its node ({@link #cacheGrowEnd}). A
 * slab is invisible to every other thread until step 6, so steps 1 to 5 run without the list lock. A constructor that
 * throws discards the slab whole: the cache is unchanged.
 *
 * <p>Guards: {@link #random} is used only here, under the node list lock or by the growing thread (a
 * {@link java.util.Random} is thread safe); {@link #randomSeq} is written once under {@code slab_mutex} before the
 * cache is published.
 */
final class CacheGrow {
    private final SlabCache cache;
    /** The cache's random source for {@code CONFIG_SLAB_FREELIST_RANDOM}, or {@code null} when it is off. */
    private final Random random;
    /** {@code cachep->random_seq} once the cache is fully set up and randomisation is on. */
    private int[] randomSeq;

    CacheGrow(SlabCache cache, Random random) {
        this.cache = cache;
        this.random = random;
    }

    /**
     * {@code cache_grow_begin}: pages from the node's buddy allocator, a colour, the freelist, and
     * {@code cache_init_objs}. The slab is not yet on any list.
     */
    Slab cacheGrowBegin(int node) {
        PageBlock block;
        try {
            block = cache.sys.pages.allocPages(node, cache.layout.order());
        } catch (PageAllocator.PagesRefused e) {
            cache.stats.errors.incrementAndGet();
            throw new SlabOutOfMemoryException(
                    "cache '" + cache.name + "': cannot grow a slab of " + (1 << cache.layout.order())
                            + " page(s) on node " + node + ": " + e.getMessage(),
                    e.getCause());
        }
        KmemCacheNode n = cache.nodes[node];
        int offset;
        n.listLock.lock();
        try {
            n.colourNext++;
            if (n.colourNext >= cache.layout.colour()) {
                n.colourNext = 0;
            }
            offset = n.colourNext;
        } finally {
            n.listLock.unlock();
        }
        MemorySegment offSlab = null;
        try {
            if (cache.layout.mode() == FreelistMode.OFF_SLAB) {
                offSlab = cache.freelistCache.alloc(cache.freelistCache.primary);
            }
            Slab slab = new Slab(cache, block, node, offset * cache.layout.colourOff(), offSlab);
            cacheInitObjs(slab);
            slab.id = cache.slabTable.register(slab);
            cache.sys.pageMap.add(slab);
            return slab;
        } catch (RuntimeException | Error e) {
            if (offSlab != null) {
                cache.freelistCache.free(cache.freelistCache.primary, null, offSlab);
            }
            cache.sys.pages.freePages(block);
            cache.stats.errors.incrementAndGet();
            if (e instanceof SlabOutOfMemoryException) {
                throw e;
            }
            throw new IllegalStateException(
                    "cache '" + cache.name + "': the constructor failed while a new slab was initialised; the slab was "
                            + "discarded and the cache is unchanged",
                    e);
        }
    }

    /** {@code cache_grow_end}: puts the new slab on the node's lists. */
    void cacheGrowEnd(Slab slab) {
        KmemCacheNode n = cache.nodes[slab.node];
        n.listLock.lock();
        try {
            if (slab.objs[0].byteSize() != cache.objectSize) { // a merge raised the size while the slab was grown
                slab.recut(cache.objectSize);
            }
            n.totalSlabs++;
            if (slab.active == 0) {
                n.slabsFree.addTail(slab);
                n.freeSlabs++;
            } else {
                cache.lists.fixupSlabList(n, slab);
            }
            n.freeObjects += cache.layout.num() - slab.active;
            n.listAllocs += slab.active; // taken by alloc_block before the slab was listed
            n.numActive += slab.active;
        } finally {
            n.listLock.unlock();
        }
        cache.stats.grown.incrementAndGet();
        SlabEvents.slabGrow(cache.name(), slab.node, cache.layout.order());
        cache.noteActive();
    }

    /**
     * {@code cache_init_objs}: runs the constructor on every object and lays out the initial freelist. A cache that
     * wipes objects on free first wipes the whole slab, as the kernel's {@code init_on_free} wipes pages when they are
     * freed: the buddy pages may hold an earlier slab's data, and every free object of such a cache must be zero.
     */
    void cacheInitObjs(Slab slab) {
        if (cache.initOnFree) {
            slab.block
                    .memory()
                    .asSlice(slab.block.offset(), cache.pc.slabBytes(cache.layout.order()))
                    .fill((byte) 0);
        }
        if (cache.debug != null) {
            cache.debug.initObjs(slab);
        }
        // A poisoned cache runs its constructor on every allocation instead, after the poison check.
        SlabCtor init = cache.debug != null && cache.debug.poison ? null : cache.ctor;
        boolean shuffled = shuffleFreelist(slab);
        int num = cache.layout.num();
        if (!shuffled && cache.layout.mode() == FreelistMode.OBJFREELIST) {
            slab.placeFreelistIn(num - 1);
        }
        for (int i = 0; i < num; i++) {
            if (init != null) {
                init.construct(slab.objs[i]);
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
    boolean shuffleFreelist(Slab slab) {
        int count = cache.layout.num();
        if (random == null || count < 2) {
            return false;
        }
        int[] seq = randomSeq;
        int pos = seq == null ? 0 : random.nextInt(count);
        int objfreelist = 0;
        if (cache.layout.mode() == FreelistMode.OBJFREELIST) {
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
        if (cache.layout.mode() == FreelistMode.OBJFREELIST) {
            slab.setFreeObj(cache.layout.num() - 1, objfreelist);
        }
        return true;
    }

    /** {@code cache_random_seq_create}: a Fisher–Yates shuffled sequence of {@code 0..num-1}. */
    void createRandomSeq() {
        if (random != null && cache.layout.num() >= 2) {
            int[] seq = identity(cache.layout.num());
            fisherYates(seq, random);
            randomSeq = seq;
        }
    }

    static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    static void fisherYates(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
