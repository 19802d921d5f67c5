package org.slab4j.internal.report;

import java.util.List;

/**
 * One {@code @Slab} type over JMX ({@code org.slab4j:type=SlabType,allocator=global,name=<cache>}, {@code <cache>} the
 * type's cache handle): the numbers of its row in the report and its top allocation sites. Read when asked for.
 */
public interface SlabTypeMXBean {
    /**
     * One allocation site of the type.
     *
     * @param location {@code Class.method:line}
     * @param allocations instances allocated there
     * @param frees of those, freed explicitly; {@code null} when not known (types other than {@code TRACKED})
     * @param leaks of those, reclaimed after garbage collection without a free
     * @param liveBytes bytes of the site's live instances; {@code null} when not known
     */
    record Site(String location, long allocations, Long frees, long leaks, Long liveBytes) {}

    /** @return the annotated class's name */
    String getType();

    /** @return the type's cache handle */
    String getCache();

    /** @return the cache whose slabs it uses (itself, or the cache it was merged into) */
    String getSharedCache();

    /** @return the bytes of each instance's segment */
    long getObjectSize();

    /** @return whether the release policy is {@code TRACKED} */
    boolean isTracked();

    /** @return instances given a segment */
    long getAllocations();

    /** @return segments returned by a free or {@code close()} */
    long getFrees();

    /** @return segments reclaimed after their instance became unreachable without a free */
    long getLeaks();

    /** @return instances holding a segment now */
    long getLive();

    /** @return bytes of the live instances' segments */
    long getLiveBytes();

    /** @return the type's top allocation sites, by live bytes (else allocated bytes), as the report lists them */
    List<Site> getTopSites();
}
