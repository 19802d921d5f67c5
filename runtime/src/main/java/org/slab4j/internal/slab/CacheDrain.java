package org.slab4j.internal.slab;

import java.util.List;
import org.slab4j.internal.event.SlabEvents;

/**
 * The slow side of a cache's arrays and free slabs: {@code do_tune_cpucache}, {@code drain_array} (the reap rule) and
 * {@code drain_array_locked}, {@code drain_freelist}, {@code __kmem_cache_shrink}, and the cache's part of
 * {@code cache_reap} (its alien caches, shared arrays and free slabs); one per {@link SlabCache}.
 *
 * <p>Differences from the kernel, and why: the kernel reaches every CPU's array from one CPU ({@code do_tune_cpucache}
 * swaps them all and frees the old ones, {@code drain_cpu_caches} drains them by {@code on_each_cpu}), but a platform
 * thread's array has no lock, so no other thread may touch it (the ownership rule of {@link ThreadCpu}). A thread
 * therefore adopts new tunables itself on its next refill or flush ({@link #adoptTunables}) and applies
 * {@code drain_array}'s rule to its own arrays when the reaper asks ({@link #drainArray}, via
 * {@link ThreadCpus#ownerReap}), as each CPU runs its own {@code cache_reap}; a shrink drains the caller's arrays and
 * the stripes (under their locks), after the arrays of ended threads were retired by whoever claimed them.
 */
final class CacheDrain {
    private final SlabCache cache;

    CacheDrain(SlabCache cache) {
        this.cache = cache;
    }

    /**
     * {@code do_tune_cpucache}: installs new tunables, rebuilds the shared arrays and free limits. Threads adopt the
     * new array size on their next refill or flush (the owner resizes its own array: no cross-thread access to it).
     * Everything is allocated before anything is published, so a failure (an {@link OutOfMemoryError}) changes nothing.
     */
    void tune(Tunables t) {
        int nodeCount = cache.nodes.length;
        ArrayCache[] shared = new ArrayCache[nodeCount];
        AlienCache[][] aliens = new AlienCache[nodeCount][];
        for (KmemCacheNode n : cache.nodes) {
            if (t.shared() > 0) {
                // tune() has bounded it by Tunables.maxSharedEntries; the boot and enable_cpucache values are small
                shared[n.node] = new ArrayCache(null, cache, Math.toIntExact(t.sharedEntries()), t);
            }
            if (nodeCount > 1 && n.alien == null) {
                aliens[n.node] = new AlienCache[nodeCount];
                for (int i = 0; i < nodeCount; i++) {
                    if (i != n.node) {
                        aliens[n.node][i] = new AlienCache(cache, t.limit() > 1 ? AlienCache.LIMIT : 1, t);
                    }
                }
            }
        }
        cache.tunables = t;
        for (KmemCacheNode n : cache.nodes) {
            List<Slab> list = null;
            n.listLock.lock();
            try {
                ArrayCache old = n.shared;
                n.shared = shared[n.node];
                if (old != null && old.avail > 0) {
                    list = cache.lists.freeBlock(old, old.avail, n);
                }
                n.freeLimit = t.freeLimit(cache.sys.cpusOfNode(), cache.layout.num());
                if (n.alien == null) {
                    n.alien = aliens[n.node];
                }
            } finally {
                n.listLock.unlock();
            }
            cache.lists.slabsDestroy(list);
        }
    }

    /** Brings a thread's array to the cache's current tunables; the caller owns the array. */
    void adoptTunables(ThreadCpu cpu, ArrayCache ac) {
        Tunables t = cache.tunables;
        if (ac.tunables == t) {
            return;
        }
        ac.tunables = t;
        ac.batchcount = t.batchcount();
        if (ac.avail > t.limit()) {
            drainArrayLocked(ac, cpu.node, ac.avail - t.limit());
        }
        ac.resize(t.limit());
    }

    /** Frees the oldest {@code tofree} entries of an array to the slabs of {@code node} ({@code drain_array_locked}). */
    void drainArrayLocked(ArrayCache ac, int node, int tofree) {
        if (tofree <= 0) {
            return;
        }
        KmemCacheNode n = cache.nodes[node];
        List<Slab> list;
        n.listLock.lock();
        try {
            list = cache.lists.freeBlock(ac, tofree, n);
        } finally {
            n.listLock.unlock();
        }
        ac.shiftOut(tofree); // before slabsDestroy, which may re-enter this thread's arrays
        cache.lists.slabsDestroy(list);
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
                n.freeObjects -= cache.layout.num();
            } finally {
                n.listLock.unlock();
            }
            cache.lists.slabDestroy(slab);
            freed++;
        }
        return freed;
    }

    /**
     * After a destroy's drain, takes an emptied array of the dead cache off {@code owner}, which the caller owns or
     * holds the lock of, so that the cache's id can serve a new cache ({@link SlabSystem}'s {@code newCacheId});
     * not from inside a slow path of that CPU ({@link ThreadCpu#busy}), whose caller may still fill it.
     */
    private void retireIfDead(ThreadCpu owner, ArrayCache ac) {
        if (cache.dead && owner.busy == 0 && ac.avail == 0 && owner.array(cache.id) == ac) {
            cache.retire(ac);
            owner.setArray(cache.id, null);
        }
    }

    /**
     * {@code __kmem_cache_shrink}: empties the calling thread's array and the stripes' (under their locks), the alien
     * caches and shared arrays, and then every free slab. Arrays of ended threads were retired before (by the one
     * thread whose claim won, {@link SlabSystem#retireDeadCpus}); arrays of other live threads are theirs alone.
     *
     * <p>A call from inside a slow path of the caller's own stripe (a constructor on a virtual thread) skips a stripe
     * another thread holds, whose holder may be a constructor that shrinks or destroys a cache of this stripe in turn;
     * a destroyed cache's skipped stripe arrays are drained by the reaper ({@link #reapDead}).
     */
    void shrink(ThreadCpu self) {
        boolean nested = self.lock != null && self.lock.isHeldByCurrentThread();
        for (ArrayCache ac : cache.arrays) {
            ThreadCpu owner = ac.owner;
            if (owner.lock != null) { // a stripe: whoever holds its lock may drain it
                if (nested && owner != self) {
                    if (!owner.lock.tryLock()) {
                        continue; // its holder may be a constructor that shrinks a cache of this stripe in turn
                    }
                } else {
                    owner.lock.lock();
                }
                try {
                    drainArrayLocked(ac, owner.node, ac.avail);
                    retireIfDead(owner, ac);
                } finally {
                    owner.lock.unlock();
                }
            } else if (owner == self) {
                drainArrayLocked(ac, owner.node, ac.avail);
                retireIfDead(owner, ac);
            }
        }
        for (KmemCacheNode n : cache.nodes) {
            if (n.alien != null) {
                for (int i = 0; i < n.alien.length; i++) {
                    AlienCache a = n.alien[i];
                    if (a != null) {
                        List<Slab> list;
                        a.lock.lock();
                        try {
                            list = cache.lists.drainAlienCache(a.ac, i);
                        } finally {
                            a.lock.unlock();
                        }
                        cache.lists.slabsDestroy(list);
                    }
                }
            }
        }
        for (KmemCacheNode n : cache.nodes) {
            List<Slab> list = null;
            n.listLock.lock();
            try {
                ArrayCache shared = n.shared;
                if (shared != null && shared.avail > 0) {
                    list = cache.lists.freeBlock(shared, shared.avail, n);
                    shared.avail = 0;
                }
            } finally {
                n.listLock.unlock();
            }
            cache.lists.slabsDestroy(list);
            drainFreelist(n, Long.MAX_VALUE);
        }
    }

    /**
     * The reaper's part for a destroyed cache: the stripe arrays that its destroy's drain skipped, their locks held by
     * others (a destroy from inside a constructor on a virtual thread), drained and retired when their locks are free.
     */
    void reapDead() {
        for (ArrayCache ac : cache.arrays) {
            ThreadCpu owner = ac.owner;
            if (owner.lock != null && owner.lock.tryLock()) {
                try {
                    drainArrayLocked(ac, owner.node, ac.avail);
                    retireIfDead(owner, ac);
                } finally {
                    owner.lock.unlock();
                }
            }
        }
    }

    /**
     * {@code drain_array} for a per-thread array, by whoever may touch it (its owner, or a stripe's lock holder): a
     * touched array is only marked untouched; an idle one gives back a fifth of its limit, or half of what it holds.
     */
    void drainArray(ArrayCache ac, int node) {
        if (ac.avail == 0) {
            return;
        }
        if (ac.touched) {
            ac.touched = false;
            return;
        }
        drainArrayLocked(ac, node, reapAmount(ac));
    }

    /** {@code drain_array_locked}'s amount: a fifth of the limit, or half of what the array holds if that is less. */
    private static int reapAmount(ArrayCache ac) {
        int tofree = (ac.limit + 4) / 5;
        return tofree > ac.avail ? (ac.avail + 1) / 2 : tofree;
    }

    /**
     * The reaper's work on node {@code n} ({@code cache_reap}): drain its alien caches; and every node interval, its
     * shared array (as {@link #drainArray}) and, unless free slabs were used since the last pass ({@code free_touched}),
     * {@code (free_limit + 5 * num - 1) / (5 * num)} free slabs.
     */
    void reapNode(KmemCacheNode n, long now, long nodeIntervalNanos) {
        AlienCache[] aliens = n.alien;
        if (aliens != null) {
            for (int i = 0; i < aliens.length; i++) {
                AlienCache a = aliens[i];
                if (a != null && a.ac.avail > 0 && a.lock.tryLock()) { // reap_alien: skip a busy one
                    List<Slab> list;
                    try {
                        list = cache.lists.drainAlienCache(a.ac, i);
                    } finally {
                        a.lock.unlock();
                    }
                    cache.lists.slabsDestroy(list);
                }
            }
        }
        boolean drainFree;
        List<Slab> list = null;
        n.listLock.lock();
        try {
            if (now - n.nextReap < 0) {
                return;
            }
            n.nextReap = now + nodeIntervalNanos;
            ArrayCache shared = n.shared;
            if (shared != null && shared.avail > 0) {
                if (shared.touched) {
                    shared.touched = false;
                } else {
                    int tofree = reapAmount(shared);
                    list = cache.lists.freeBlock(shared, tofree, n);
                    shared.shiftOut(tofree);
                }
            }
            drainFree = !n.freeTouched;
            n.freeTouched = false;
        } finally {
            n.listLock.unlock();
        }
        cache.lists.slabsDestroy(list);
        if (drainFree) {
            int num = cache.layout.num();
            int freed = drainFreelist(n, (n.freeLimit + 5L * num - 1) / (5L * num));
            cache.stats.reaped.addAndGet(freed);
            if (freed > 0) {
                SlabEvents.reap(cache.name(), n.node, freed);
            }
        }
    }
}
