package org.slab4j.internal.slab;

import org.slab4j.SlabStatistics;

/**
 * A cache's numbers for {@code /proc/slabinfo}: {@code get_slabinfo} (the row) and {@code slabinfo_show_stats} (the
 * statistics columns), summed over the nodes, each read under its list lock, and over the thread arrays, read racily.
 *
 * <p>Differences from the kernel, and why: the row also counts the free objects parked in per-thread, shared and alien
 * arrays ({@link Info#cached}), so that objects in use can be told from objects cached; the fast paths count
 * allocations and frees per handle rather than hits, so {@code allochit} and {@code freehit} are derived: the counts
 * less the misses (and less {@code nodeallocs} or {@code remotefrees}). Counts of threads that have ended are kept in
 * the cache's retired counters.
 */
final class CacheNumbers {
    private CacheNumbers() {}

    /** The per-node numbers summed over the nodes, each node read under its list lock. */
    private record NodeSums(
            long totalSlabs,
            long freeSlabs,
            long freeObjects,
            long sharedAvail,
            long listAllocs,
            long maxFreeable,
            long nodeAllocs) {}

    private static NodeSums sumNodes(SlabCache c) {
        long totalSlabs = 0;
        long freeSlabs = 0;
        long freeObjects = 0;
        long sharedAvail = 0;
        long listAllocs = 0;
        long maxFreeable = 0;
        long nodeAllocs = 0;
        for (KmemCacheNode n : c.nodes) {
            n.listLock.lock();
            try {
                totalSlabs += n.totalSlabs;
                freeSlabs += n.freeSlabs;
                freeObjects += n.freeObjects;
                sharedAvail += n.shared == null ? 0 : n.shared.avail;
                listAllocs += n.listAllocs;
                maxFreeable = Math.max(maxFreeable, n.maxFreeable);
                nodeAllocs += n.nodeAllocs;
            } finally {
                n.listLock.unlock();
            }
        }
        return new NodeSums(totalSlabs, freeSlabs, freeObjects, sharedAvail, listAllocs, maxFreeable, nodeAllocs);
    }

    /** A consistent-enough reading of the cache for slabinfo, per {@code get_slabinfo}. */
    record Info(long activeObjs, long numObjs, long activeSlabs, long numSlabs, long sharedAvail, long cached) {}

    /**
     * The slabinfo "(statistics)" columns, in the kernel's order: listallocs, maxobjs, grown, reaped, error,
     * maxfreeable, nodeallocs, remotefrees, alienoverflow; allochit, allocmiss, freehit, freemiss.
     */
    static SlabStatistics statistics(SlabCache c) {
        NodeSums n = sumNodes(c);
        long nodeAllocs = n.nodeAllocs();
        long allocs;
        long frees;
        // One hold of the lock leave() moves a handle's counts under: the sum of those that left, taken before a leave,
        // and the handles, listed after it, would miss that handle's counts.
        synchronized (c.arraysLock) {
            allocs = c.leftAllocs;
            frees = c.leftFrees;
            for (CacheHandle h : c.handles) {
                long[] counts = c.sys.counts(h);
                allocs += counts[0];
                frees += counts[1];
            }
        }
        long allocMiss = c.stats.retiredAllocMiss.get();
        long freeMiss = c.stats.retiredFreeMiss.get();
        for (ArrayCache ac : c.arrays) {
            allocMiss += ac.allocMiss;
            freeMiss += ac.freeMiss;
        }
        long remoteFrees = c.stats.remoteFrees.get();
        return new SlabStatistics(
                n.listAllocs(),
                c.stats.highMark.get(),
                c.stats.grown.get(),
                c.stats.reaped.get(),
                c.stats.errors.get(),
                n.maxFreeable(),
                nodeAllocs,
                remoteFrees,
                c.stats.alienOverflow.get(),
                Math.max(0, allocs - allocMiss - nodeAllocs),
                allocMiss,
                Math.max(0, frees - freeMiss - remoteFrees),
                freeMiss);
    }

    /**
     * @return the objects that callers hold ({@link Slab#ALLOCATED}), counted slab by slab under each node's list lock:
     *     exact for every object handed out before the call, where {@link #info} may count a flushed one as free and
     *     cached at once; a slab holding one is never on a free list
     */
    static long allocatedObjects(SlabCache c) {
        long allocated = 0;
        for (KmemCacheNode n : c.nodes) {
            n.listLock.lock();
            try {
                for (SlabList l : new SlabList[] {n.slabsFull, n.slabsPartial}) {
                    for (Slab s = l.first(); s != null; s = s.next) {
                        for (byte state : s.state) {
                            allocated += state != 0 ? 1 : 0; // ALLOCATED, or CONSTRUCTING
                        }
                    }
                }
            } finally {
                n.listLock.unlock();
            }
        }
        return allocated;
    }

    static Info info(SlabCache c) {
        NodeSums sums = sumNodes(c);
        long totalSlabs = sums.totalSlabs();
        long freeSlabs = sums.freeSlabs();
        long freeObjs = sums.freeObjects();
        long sharedAvail = sums.sharedAvail();
        long cached = sharedAvail;
        for (KmemCacheNode n : c.nodes) {
            if (n.alien != null) {
                for (AlienCache a : n.alien) {
                    cached += a == null ? 0 : a.ac.avail;
                }
            }
        }
        for (ArrayCache ac : c.arrays) {
            cached += ac.avail;
        }
        long numObjs = totalSlabs * c.layout.num();
        long activeObjs = numObjs - freeObjs;
        // The arrays are read without their owners' locks, after the node lists: an object that a flush moved from an
        // array to its slab in between is counted in both. No more objects are cached than are off the freelists.
        return new Info(
                activeObjs, numObjs, totalSlabs - freeSlabs, totalSlabs, sharedAvail, Math.min(cached, activeObjs));
    }
}
