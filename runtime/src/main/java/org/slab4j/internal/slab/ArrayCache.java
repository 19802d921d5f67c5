package org.slab4j.internal.slab;

import java.util.Arrays;

/**
 * {@code struct array_cache}: a LIFO stack of free objects, used per thread (the kernel's per-CPU cache) and per node
 * (the shared array).
 *
 * <p>Where the kernel's {@code entry[i]} is an object pointer, an entry here is a {@code long} naming the object by its
 * slab's id in the cache's {@link SlabTable} (high half) and its index in that slab (low half); the segment is then
 * {@code slab.objs[index]}. Neither {@code alloc} nor {@code free_block} has to turn an address back into an index,
 * and a free stores a primitive: no GC write barrier, and no subtype check of an interface-typed reference.
 *
 * <p>Who may touch an array (the ownership rule, see {@link ThreadCpu}): a per-thread array only by its owning thread,
 * or by its stripe's lock holder for virtual threads, or, once the owning platform thread has ended, by the one thread
 * whose {@link ThreadCpu#claim()} won; a shared array or an alien cache only under its lock. So its fields are plain:
 * no atomics or fences on the fast path. Other threads read {@link #avail} and the counters only for statistics,
 * where a stale value is acceptable.
 *
 * <p>Invariant: an object is in exactly one of a caller's hands ({@link Slab#ALLOCATED}), one array, or its slab's
 * freelist; a slab is destroyed only when no array names any of its objects (all of them are on its freelist).
 *
 * <p>Beyond the kernel, a per-thread array counts the allocations and frees of each handle (name or alias) of its
 * cache: the cache's own name in {@link #allocs} and {@link #frees}, an alias in {@code counts[2 * aliasIndex]} and
 * {@code counts[2 * aliasIndex + 1]}.
 */
final class ArrayCache extends ThreadTable.Owned {
    int avail;
    int limit;
    int batchcount;
    boolean touched;
    /** The objects: {@code slab id << 32 | index}, see {@link #entryOf}; always {@link #limit} long. */
    long[] entry;

    /** The cache's tunables this array last adopted (see {@link CacheDrain#tune}). */
    Tunables tunables;
    /** The thread CPU owning this array, or {@code null} for a node's shared array. */
    final ThreadCpu owner;
    /** The cache whose objects this array holds. */
    final SlabCache cache;
    /**
     * The node whose objects the fast free may push here: the owner's home node, or -1 when the cache's frees have more
     * to do (debug checks), so that one comparison with the slab's node covers both.
     */
    int fastFreeNode = -1;

    /** Allocations and frees through the cache's own name (alias index 0). */
    long allocs;

    long frees;
    /** Allocations and frees through aliases, by alias index; grown by the owner when an alias first counts here. */
    long[] counts = new long[0];
    /** {@code STATS_INC_ALLOCMISS}: allocations that had to refill. */
    long allocMiss;
    /** {@code STATS_INC_FREEMISS}: frees that found the array full and flushed a batch. */
    long freeMiss;

    ArrayCache(ThreadCpu owner, SlabCache cache, int limit, Tunables tunables) {
        super(owner == null ? -1 : owner.ownerTid); // -1 for a stripe or a shared array: no thread has that id
        this.owner = owner;
        this.cache = cache;
        this.limit = limit;
        this.batchcount = tunables.batchcount();
        this.tunables = tunables;
        this.entry = new long[limit];
    }

    @Override
    boolean isRetired() {
        return owner != null && owner.isRetired();
    }

    /** @return the entry for object {@code index} of {@code slab} */
    static long entryOf(Slab slab, int index) {
        return (long) slab.id << 32 | index;
    }

    /** @return the slab id of an entry */
    static int slabId(long entry) {
        return (int) (entry >>> 32);
    }

    /** @return the object index of an entry */
    static int index(long entry) {
        return (int) entry;
    }

    /** Sets the owner's home node, from which the fast free takes objects unless the cache's frees have hooks. */
    void setHome(int node) {
        fastFreeNode = cache.freeHooks ? -1 : node;
    }

    /** Counts one allocation through the handle with alias index {@code alias}. */
    void countAlloc(int alias) {
        if (alias == 0) {
            allocs++;
        } else {
            countAlias(alias, 0);
        }
    }

    /** Counts one free through the handle with alias index {@code alias}. */
    void countFree(int alias) {
        if (alias == 0) {
            frees++;
        } else {
            countAlias(alias, 1);
        }
    }

    private void countAlias(int alias, int which) {
        int i = 2 * alias + which;
        if (i >= counts.length) {
            counts = Arrays.copyOf(counts, Math.max(i + 1, 2 * counts.length));
        }
        counts[i]++;
    }

    /** @return the count for {@code alias} ({@code which} 0: allocations, 1: frees), read racily */
    long countOf(int alias, int which) {
        if (alias == 0) {
            return which == 0 ? allocs : frees;
        }
        long[] c = counts;
        int i = 2 * alias + which;
        return i < c.length ? c[i] : 0;
    }

    /** {@code __free_one}: pushes object {@code index} of {@code slab}; the caller has checked there is room. */
    void push(Slab slab, int index) {
        entry[avail++] = entryOf(slab, index);
    }

    /** {@code transfer_objects}: moves up to {@code max} objects from the top of {@code from} to this array. */
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

    /** Appends the bottom {@code n} entries of {@code from} (the oldest), as {@code cache_flusharray}'s memcpy. */
    void appendOldest(ArrayCache from, int n) {
        System.arraycopy(from.entry, 0, entry, avail, n);
        avail += n;
    }

    /** Drops the first {@code n} entries, moving the rest down ({@code memmove} in {@code cache_flusharray}). */
    void shiftOut(int n) {
        avail -= n;
        System.arraycopy(entry, n, entry, 0, avail);
    }

    /** Gives the array room for {@code limit} entries; the caller has already drained what would not fit. */
    void resize(int newLimit) {
        if (entry.length != newLimit) {
            entry = Arrays.copyOf(entry, newLimit);
        }
        limit = newLimit;
    }
}
