package org.slab4j.internal.slab;

/**
 * The slabinfo "(statistics)" columns of one cache, as a {@code CONFIG_DEBUG_SLAB} kernel prints them: the
 * {@code globalstat} and {@code cpustat} groups. slab4j keeps these counters whether or not slabinfo shows them.
 *
 * @param listAllocs objects taken from the node slab lists ({@code listallocs})
 * @param maxObjs the most objects ever active at once ({@code maxobjs})
 * @param grown slabs grown ({@code grown})
 * @param reaped times the reaper freed slabs ({@code reaped})
 * @param errors failed slab grows ({@code error})
 * @param maxFreeable the largest free-object count of a node ({@code maxfreeable})
 * @param nodeAllocs allocations served off the thread's home node ({@code nodeallocs})
 * @param remoteFrees frees of objects of another node ({@code remotefrees})
 * @param alienOverflow alien cache flushes ({@code alienoverflow})
 * @param allocHit allocations served by a per-thread array ({@code allochit})
 * @param allocMiss allocations that refilled the array ({@code allocmiss})
 * @param freeHit frees that went to a per-thread array ({@code freehit})
 * @param freeMiss frees that flushed the array ({@code freemiss})
 */
public record SlabStatistics(
        long listAllocs,
        long maxObjs,
        long grown,
        long reaped,
        long errors,
        long maxFreeable,
        long nodeAllocs,
        long remoteFrees,
        long alienOverflow,
        long allocHit,
        long allocMiss,
        long freeHit,
        long freeMiss) {

    /** @param c the columns in the kernel's order, as {@link CacheNumbers#statistics(SlabCache)} returns them */
    static SlabStatistics of(long[] c) {
        return new SlabStatistics(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12]);
    }
}
