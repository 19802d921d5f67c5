package org.slab4j.internal.slab;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.slab4j.internal.page.Chunk;

/**
 * {@code struct array_cache}: a LIFO stack of free objects, used per thread (the kernel's per-CPU cache) and per node
 * (the shared array).
 *
 * <p>A per-thread array is touched only by its owner (or by its stripe's lock holder, for virtual threads), so its
 * fields are plain: no atomics or fences on the fast path. Other threads read {@link #avail} and the counters only for
 * statistics, where a stale value is acceptable.
 *
 * <p>Beyond the kernel, a per-thread array counts the allocations and frees of each handle (name or alias) of its
 * cache: {@code counts[2 * aliasIndex]} and {@code counts[2 * aliasIndex + 1]}.
 */
final class ArrayCache {
    int avail;
    int limit;
    int batchcount;
    boolean touched;
    MemorySegment[] entry;
    /** The slab of each entry: lets {@code alloc} mark the object allocated without looking its slab up. */
    Slab[] slabs;

    /** The cache's tunables this array last adopted (see {@link CacheDrain#tune}). */
    Tunables tunables;
    /** The thread CPU owning this array, or {@code null} for a node's shared array. */
    final ThreadCpu owner;
    /** The owning platform thread's id, -1 for a stripe or a shared array: the fast path's ownership test. */
    final long ownerTid;
    /** The cache whose objects this array holds. */
    final SlabCache cache;
    /** The owner's home node, copied here for the free fast path; the owner updates it when it rebinds. */
    int node;

    /** The slab of the last object freed through this array: a lookup hint, checked by {@link Slab#holds}. */
    Slab lastSlab;
    /** The chunk of the last object freed through this array: a lookup hint, checked by {@link Chunk#holds}. */
    Chunk lastChunk;

    /** Allocations and frees per handle of the cache, by alias index. */
    long[] counts = new long[2];
    /** {@code STATS_INC_ALLOCMISS}: allocations that had to refill. */
    long allocMiss;
    /** {@code STATS_INC_FREEMISS}: frees that found the array full and flushed a batch. */
    long freeMiss;

    ArrayCache(ThreadCpu owner, SlabCache cache, int limit, Tunables tunables) {
        this.owner = owner;
        this.ownerTid = owner == null ? -1 : owner.tid;
        this.cache = cache;
        this.limit = limit;
        this.batchcount = tunables.batchcount();
        this.tunables = tunables;
        this.entry = new MemorySegment[limit];
        this.slabs = new Slab[limit];
    }

    /** Counts one allocation ({@code which} 0) or free (1) through the handle with alias index {@code alias}. */
    void count(int alias, int which) {
        int i = 2 * alias + which;
        if (i >= counts.length) {
            counts = Arrays.copyOf(counts, Math.max(i + 1, 2 * counts.length));
        }
        counts[i]++;
    }

    /** @return the count for {@code alias} ({@code which} 0: allocations, 1: frees), read racily */
    long countOf(int alias, int which) {
        long[] c = counts;
        int i = 2 * alias + which;
        return i < c.length ? c[i] : 0;
    }

    /** {@code __free_one}: pushes an object; the caller has checked there is room. */
    void push(MemorySegment obj, Slab slab) {
        entry[avail] = obj;
        slabs[avail++] = slab;
    }

    /** {@code transfer_objects}: moves up to {@code max} objects from the top of {@code from} to this array. */
    int transferFrom(ArrayCache from, int max) {
        int nr = Math.min(Math.min(from.avail, max), limit - avail);
        if (nr <= 0) {
            return 0;
        }
        System.arraycopy(from.entry, from.avail - nr, entry, avail, nr);
        System.arraycopy(from.slabs, from.avail - nr, slabs, avail, nr);
        from.avail -= nr;
        avail += nr;
        return nr;
    }

    /** Appends the bottom {@code n} entries of {@code from} (the oldest), as {@code cache_flusharray}'s memcpy. */
    void appendOldest(ArrayCache from, int n) {
        System.arraycopy(from.entry, 0, entry, avail, n);
        System.arraycopy(from.slabs, 0, slabs, avail, n);
        avail += n;
    }

    /** Drops the first {@code n} entries, moving the rest down ({@code memmove} in {@code cache_flusharray}). */
    void shiftOut(int n) {
        avail -= n;
        System.arraycopy(entry, n, entry, 0, avail);
        System.arraycopy(slabs, n, slabs, 0, avail);
    }

    /** Gives the array room for {@code limit} entries; the caller has already drained what would not fit. */
    void resize(int newLimit) {
        if (entry.length != newLimit) {
            entry = Arrays.copyOf(entry, newLimit);
            slabs = Arrays.copyOf(slabs, newLimit);
        }
        limit = newLimit;
    }
}
