package org.slab4j.internal.slab;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.slab4j.SlabOutOfMemoryException;
import org.slab4j.internal.event.SlabEvents;

/**
 * A cache's per-node slab lists ({@code slabs_full}, {@code slabs_partial}, {@code slabs_free} of each
 * {@link KmemCacheNode}) and the paths that move objects between them and the arrays: {@code get_first_slab},
 * {@code alloc_block}, {@code fixup_slab_list}, {@code free_block}, {@code __drain_alien_cache}, {@code slabs_destroy}.
 *
 * <p>Invariants, under each node's list lock: a slab with {@code active == num} is on the full list, one with
 * {@code 0 < active < num} on the partial list, one with {@code active == 0} on the free list (or unlinked and about to
 * be destroyed); {@code free_objects} is the sum of the free objects of the listed slabs, {@code num_active} the objects
 * out of them (held by callers or parked in arrays). Free slabs beyond {@code free_limit} are unlinked by
 * {@link #freeBlock} and destroyed by the caller once the lock is dropped ({@link #slabsDestroy}), because giving an
 * OFF_SLAB freelist back to kmalloc may take other locks.
 *
 * <p>Guards: every method that touches a list holds that node's {@code list_lock}, except {@link #slabsDestroy} and
 * {@link #slabDestroy}, which work on slabs already unlinked.
 */
final class NodeLists {
    private final SlabCache cache;

    NodeLists(SlabCache cache) {
        this.cache = cache;
    }

    /** {@code get_first_slab}: a partial slab, else a free one. */
    static Slab getFirstSlab(KmemCacheNode n) {
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
    int allocBlock(ArrayCache ac, Slab slab, int batchcount) {
        int num = cache.layout.num();
        while (slab.active < num && batchcount-- > 0) {
            ac.push(slab, slab.getObj());
        }
        return batchcount;
    }

    /** {@code fixup_slab_list}: files a slab under full or partial after objects were taken. */
    void fixupSlabList(KmemCacheNode n, Slab slab) {
        if (slab.list != null) {
            slab.list.remove(slab);
        }
        if (slab.active == cache.layout.num()) {
            n.slabsFull.addHead(slab);
            slab.dropObjFreelistIfFull();
        } else {
            n.slabsPartial.addHead(slab);
        }
    }

    /** The list part of {@code ____cache_alloc_node}: an object from node {@code n}'s slabs, or {@code null}. */
    MemorySegment takeFromLists(KmemCacheNode n) {
        Slab slab;
        int index;
        n.listLock.lock();
        try {
            slab = getFirstSlab(n);
            if (slab == null) {
                return null;
            }
            n.nodeAllocs++;
            n.listAllocs++;
            n.numActive++;
            index = slab.getObj();
            n.freeObjects--;
            fixupSlabList(n, slab);
        } finally {
            n.listLock.unlock();
        }
        slab.state[index] = Slab.ALLOCATED;
        return slab.objs[index];
    }

    /** Returns object {@code index} of {@code slab} straight to its slab, bypassing every array. */
    void freeToSlab(Slab slab, int index) {
        KmemCacheNode n = cache.nodes[slab.node];
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
     * {@code free_block}: returns objects to their slabs under {@code n}'s list lock, then unlinks free slabs beyond
     * {@code free_limit}.
     *
     * @return the slabs to destroy once the lock is dropped, or {@code null}
     */
    List<Slab> freeBlock(ArrayCache ac, int nr, KmemCacheNode n) {
        return freeBlock(ac.entry, nr, n);
    }

    /** {@link #freeBlock(ArrayCache, int, KmemCacheNode)} for the first {@code nr} array entries. */
    List<Slab> freeBlock(long[] entry, int nr, KmemCacheNode n) {
        n.freeObjects += nr;
        n.numActive -= nr;
        Slab[] slabs = cache.slabsById;
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
            n.freeObjects -= cache.layout.num();
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
        if (cache.debug != null) {
            cache.debug.beforeDestroy(slab);
        }
        slab.destroyed = true;
        if (slab.offSlabFreelist != null) {
            cache.freelistCache.free(cache.freelistCache.primary, null, slab.offSlabFreelist);
        }
        cache.sys.pageMap.remove(slab); // before the pages can become another slab's
        cache.slabTable.release(slab);
        cache.sys.pages.freePages(slab.block);
        SlabEvents.slabDestroy(cache.name(), slab.node, cache.layout.order());
    }

    /**
     * {@code __drain_alien_cache}: hands an alien cache's objects to their node, its shared array first. The caller
     * holds the alien cache's lock.
     */
    List<Slab> drainAlienCache(ArrayCache ac, int node) {
        if (ac.avail == 0) {
            return null;
        }
        KmemCacheNode n = cache.nodes[node];
        n.listLock.lock();
        try {
            if (n.shared != null && !cache.dead) { // as in cacheFlusharray
                n.shared.transferFrom(ac, ac.limit);
            }
            List<Slab> list = freeBlock(ac, ac.avail, n);
            ac.avail = 0;
            return list;
        } finally {
            n.listLock.unlock();
        }
    }

    /** {@code cache_alloc_refill}. */
    MemorySegment cacheAllocRefill(ThreadCpu cpu, ArrayCache ac) {
        cache.drain.adoptTunables(cpu, ac);
        ac.allocMiss++;
        int node = cpu.node;
        int batchcount = ac.batchcount;
        if (!ac.touched && batchcount > SlabCache.BATCHREFILL_LIMIT) {
            // Little recent activity: refill only partly, to avoid refill bouncing.
            batchcount = SlabCache.BATCHREFILL_LIMIT;
        }
        KmemCacheNode n = cache.nodes[node];
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
            Slab slab = cache.grow.cacheGrowBegin(node);
            if (cache.dead && cpu.lock != null) {
                // The constructor destroyed the cache, and the destroy drained this stripe under the lock this refill
                // holds: only the reaper drains the stripe's array of a dead cache again (a platform thread gives its
                // own back on its next slow path), so it takes no object; this one is handed out.
                return takeAndEnd(slab);
            }
            // The constructor may have allocated from this very cache and refilled the array meanwhile, or (a tune()
            // that landed in between) adopted a smaller limit: the batch must fit the array as it is now.
            if (ac.avail == 0) {
                allocBlock(ac, slab, Math.min(batchcount, ac.limit));
            }
            cache.grow.cacheGrowEnd(slab);
        }
        cache.noteActive();
        ac.touched = true;
        return cache.takeEntry(ac.entry[--ac.avail]);
    }

    /**
     * {@code fallback_alloc}: the home node could not grow a slab (the memory limit), so an object comes from another
     * node's lists, else from a slab grown from another node's pages (the kernel's page allocator falls back along the
     * zonelist: a node whose chunks have free pages serves a node that may map none), before the allocation fails.
     */
    MemorySegment fallbackAlloc(int home, SlabOutOfMemoryException refused) {
        for (KmemCacheNode n : cache.nodes) {
            if (n.node != home && n.freeObjects > 0) { // a racy peek, as get_node()->free_objects
                MemorySegment obj = takeFromLists(n);
                if (obj != null) {
                    cache.noteActive();
                    return obj;
                }
            }
        }
        for (KmemCacheNode n : cache.nodes) {
            if (n.node != home) {
                try {
                    MemorySegment obj = growAndTake(n.node);
                    cache.noteActive();
                    return obj;
                } catch (SlabOutOfMemoryException e) {
                    // that node has no free pages either
                }
            }
        }
        throw refused;
    }

    /**
     * {@code cache_grow_begin}, one object taken, {@code cache_grow_end}: a new slab on {@code node}, listed there.
     *
     * @return the object taken, not yet counted active
     * @throws SlabOutOfMemoryException if the node cannot grow a slab
     */
    MemorySegment growAndTake(int node) {
        return takeAndEnd(cache.grow.cacheGrowBegin(node));
    }

    /** @return an object taken from {@code slab}, new from {@code cache_grow_begin}, before {@code cache_grow_end} */
    private MemorySegment takeAndEnd(Slab slab) {
        int index = slab.getObj();
        cache.grow.cacheGrowEnd(slab);
        slab.state[index] = Slab.ALLOCATED;
        return slab.objs[index];
    }

    /** {@code __cache_free_alien}: through the local node's alien cache for {@code pageNode}, else straight home. */
    void cacheFreeAlien(ThreadCpu cpu, Slab slab, int index) {
        int pageNode = slab.node;
        cache.stats.remoteFrees.incrementAndGet();
        AlienCache[] aliens = cache.nodes[cpu.node].alien;
        AlienCache alien = aliens == null ? null : aliens[pageNode];
        List<Slab> list = null;
        boolean pushed = false;
        if (alien != null) {
            alien.lock.lock();
            try {
                // Under the lock destroy's last drain takes after kill(): an alien cache of a dead cache takes nothing.
                if (!cache.dead) {
                    ArrayCache ac = alien.ac;
                    if (ac.avail == ac.limit) {
                        cache.stats.alienOverflow.incrementAndGet();
                        list = drainAlienCache(ac, pageNode);
                    }
                    ac.push(slab, index);
                    pushed = true;
                }
            } finally {
                alien.lock.unlock();
            }
            slabsDestroy(list);
        }
        if (!pushed) {
            freeToSlab(slab, index);
        }
    }

    /** {@code cache_flusharray}: moves the oldest {@code batchcount} entries to the shared array or the slabs. */
    void cacheFlusharray(ThreadCpu cpu, ArrayCache ac) {
        cache.drain.adoptTunables(cpu, ac);
        if (ac.avail < ac.limit) { // adopting a larger limit made room
            return;
        }
        int batchcount = ac.batchcount;
        KmemCacheNode n = cache.nodes[cpu.node];
        List<Slab> list = null;
        n.listLock.lock();
        try {
            ArrayCache shared = n.shared;
            // A dead cache's shared array takes nothing: kill() set dead before it took this lock, and destroy drains
            // the shared arrays only once after it.
            int max = shared == null || cache.dead ? 0 : shared.limit - shared.avail;
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
        // Before slabsDestroy: giving an OFF_SLAB freelist back to kmalloc may re-enter this thread's cache.arrays.
        ac.shiftOut(batchcount);
        slabsDestroy(list);
    }
}
