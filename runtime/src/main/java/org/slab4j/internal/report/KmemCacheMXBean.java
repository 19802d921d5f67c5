package org.slab4j.internal.report;

import java.util.List;

/**
 * One cache over JMX ({@code org.slab4j:type=KmemCache,allocator=<allocator>,name=<cache>}): its slabinfo row, its statistics columns, and the two writes {@code /proc/slabinfo} and
 * {@code kmem_cache_shrink} offer. Every attribute is read when asked for; once the cache is destroyed or its
 * allocator closed, reads throw {@link IllegalStateException} naming the cache.
 */
public interface KmemCacheMXBean {
    /** @return the cache's name */
    String getName();

    /** @return the names merged into this cache */
    List<String> getAliases();

    /** @return {@code object_size} in bytes */
    long getObjectSize();

    /** @return the buffer size of one object in bytes (slabinfo's {@code objsize}) */
    long getObjsize();

    /** @return objects per slab */
    int getObjPerSlab();

    /** @return pages per slab */
    int getPagesPerSlab();

    /** @return objects not on a slab freelist (in use plus cached) */
    long getActiveObjs();

    /** @return objects in all slabs */
    long getNumObjs();

    /** @return objects handed out and not freed */
    long getInUseObjs();

    /** @return free objects parked in per-thread, shared and alien arrays */
    long getCachedObjs();

    /** @return objects on the slabs' freelists */
    long getFreeObjs();

    /** @return slabs with at least one active object */
    long getActiveSlabs();

    /** @return slabs of all nodes */
    long getNumSlabs();

    /** @return objects in the nodes' shared arrays */
    long getSharedAvail();

    /** @return bytes of the pages of all slabs */
    long getSlabBytes();

    /** @return the per-thread array limit */
    int getLimit();

    /** @return objects moved per refill or flush */
    int getBatchcount();

    /** @return the shared array factor */
    int getSharedFactor();

    /** @return {@code globalstat listallocs} */
    long getListAllocs();

    /** @return {@code globalstat maxobjs} */
    long getMaxObjs();

    /** @return {@code globalstat grown} */
    long getGrown();

    /** @return {@code globalstat reaped} */
    long getReaped();

    /** @return {@code globalstat error} */
    long getErrors();

    /** @return {@code globalstat maxfreeable} */
    long getMaxFreeable();

    /** @return {@code globalstat nodeallocs} */
    long getNodeAllocs();

    /** @return {@code globalstat remotefrees} */
    long getRemoteFrees();

    /** @return {@code globalstat alienoverflow} */
    long getAlienOverflow();

    /** @return {@code cpustat allochit} */
    long getAllocHit();

    /** @return {@code cpustat allocmiss} */
    long getAllocMiss();

    /** @return {@code cpustat freehit} */
    long getFreeHit();

    /** @return {@code cpustat freemiss} */
    long getFreeMiss();

    /**
     * Changes the per-thread tunables, as writing {@code "name limit batchcount shared"} to {@code /proc/slabinfo}
     * does.
     *
     * @throws IllegalArgumentException naming the cache when the values are out of range; nothing changes then
     */
    @Described("Sets the per-thread array tunables, as writing 'name limit batchcount shared' to /proc/slabinfo does")
    void tune(
            @Described(
                            name = "limit",
                            value = "free objects a thread's array holds, 1 to 4094 (8190 with 64 KiB pages)")
                    int limit,
            @Described(name = "batchcount", value = "objects moved per refill or flush, 1 to limit") int batchcount,
            @Described(name = "shared", value = "the shared array's size in batches, 0 for none") int shared);

    /** {@code kmem_cache_shrink}: gives free slabs' pages back, after draining the shared arrays. */
    @Described("kmem_cache_shrink: gives the free slabs' pages back")
    void shrink();
}
