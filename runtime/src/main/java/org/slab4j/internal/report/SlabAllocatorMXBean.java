package org.slab4j.internal.report;

/**
 * One allocator over JMX ({@code org.slab4j:type=SlabAllocator,name=<allocator>}): the report's totals, and its
 * text. Every attribute is read when asked for; reading also brings the allocator's {@link KmemCacheMXBean}s in step
 * with its caches.
 */
public interface SlabAllocatorMXBean {
    /** @return the allocator's name */
    String getName();

    /** @return the node count */
    int getNodes();

    /** @return native memory mapped, in bytes */
    long getMappedBytes();

    /** @return the memory limit in bytes ({@link Long#MAX_VALUE}: none, as {@code Long} holds no "unset") */
    long getMemoryLimit();

    /** @return live caches (aliases not counted) */
    int getCaches();

    /** @return caches with at least one slab */
    int getActiveCaches();

    /** @return objects in all slabs */
    long getNumObjs();

    /** @return objects not on a slab freelist: in use plus cached */
    long getActiveObjs();

    /** @return objects handed out and not freed */
    long getInUseObjs();

    /** @return free objects parked in arrays */
    long getCachedObjs();

    /** @return objects on the slabs' freelists */
    long getFreeObjs();

    /** @return slabs */
    long getNumSlabs();

    /** @return slabs with at least one active object */
    long getActiveSlabs();

    /** @return bytes of the pages of all slabs */
    long getSlabBytes();

    /** @return the {@code /proc/slabinfo} text */
    @Described("The /proc/slabinfo text (version 2.1) of every cache")
    String slabinfo();

    /** @return the text report, as logged (this does not log it) */
    @Described("The text report: slabtop summary, caches as slabinfo rows, @Slab types and sites; not logged")
    String report();
}
