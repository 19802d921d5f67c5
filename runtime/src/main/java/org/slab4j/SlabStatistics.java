package org.slab4j;

/**
 * The slabinfo "(statistics)" columns of one cache, as a {@code CONFIG_DEBUG_SLAB} kernel prints them: the
 * {@code globalstat} and {@code cpustat} groups, of the whole cache (shared by its aliases). slab4j keeps these
 * counters whether or not slabinfo shows them ({@link SlabAllocator.Builder#statistics}); read them with
 * {@link KmemCache#statistics()}, which costs a walk of the cache's per-thread arrays, not a slabinfo text.
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
        long freeMiss) {}
