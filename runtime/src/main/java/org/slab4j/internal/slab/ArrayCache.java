package org.slab4j.internal.slab;

import java.lang.foreign.MemorySegment;

/**
 * {@code struct array_cache}: a LIFO stack of free objects, used per thread (the kernel's per-CPU cache) and per node
 * (the shared array).
 *
 * <p>A per-thread array is touched only by its owner (or by its stripe's lock holder, for virtual threads), so its
 * fields are plain: no atomics or fences on the fast path. Other threads read {@link #avail} and the counters only for
 * statistics, where a stale value is acceptable.
 */
final class ArrayCache {
    int avail;
    int limit;
    int batchcount;
    boolean touched;
    MemorySegment[] entry;

    /** The cache's tunables this array last adopted (see {@link SlabCache#tune}). */
    Tunables tunables;
    /** The thread CPU owning this array, or {@code null} for a node's shared array. */
    final ThreadCpu owner;
    /** The cache whose objects this array holds. */
    final SlabCache cache;

    /** {@code STATS_INC_ALLOCMISS}: allocations that had to refill. */
    long allocMiss;
    /** {@code STATS_INC_FREEMISS}: frees that found the array full and flushed a batch. */
    long freeMiss;

    ArrayCache(ThreadCpu owner, SlabCache cache, int limit, Tunables tunables) {
        this.owner = owner;
        this.cache = cache;
        this.limit = limit;
        this.batchcount = tunables.batchcount();
        this.tunables = tunables;
        this.entry = new MemorySegment[limit];
    }

    /** {@code transfer_objects}: moves up to {@code max} objects from {@code from} to this array. */
    int transferFrom(ArrayCache from, int max) {
        int nr = Math.min(Math.min(from.avail, max), limit - avail);
        if (nr <= 0) {
            return 0;
        }
        System.arraycopy(from.entry, from.avail - nr, entry, avail, nr);
        from.avail -= nr;
        avail += nr;
        return nr;
    }

    /** Drops the first {@code n} entries, moving the rest down ({@code memmove} in {@code cache_flusharray}). */
    void shiftOut(int n) {
        avail -= n;
        System.arraycopy(entry, n, entry, 0, avail);
    }
}
