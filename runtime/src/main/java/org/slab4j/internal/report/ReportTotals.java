package org.slab4j.internal.report;

import java.util.List;
import org.slab4j.internal.slab.CacheReading;

/**
 * The totals over all caches, as {@code slabtop} sums them. Sizes count each object at its buffer size
 * ({@code slabinfo}'s {@code objsize}); {@code slabBytes} counts the pages of the slabs.
 *
 * @param caches live caches (aliases not counted)
 * @param activeCaches caches with at least one slab
 * @param numObjs objects in all slabs
 * @param activeObjs objects not on a slab freelist: in use plus cached
 * @param inUseObjs objects handed out and not freed
 * @param cachedObjs free objects parked in per-thread, shared and alien arrays
 * @param freeObjs objects on the slabs' freelists
 * @param numSlabs slabs
 * @param activeSlabs slabs with at least one active object
 * @param totalSize bytes of all objects: {@code num_objs × objsize} summed
 * @param activeSize bytes of active objects
 * @param inUseSize bytes of objects in use
 * @param cachedSize bytes of cached objects
 * @param slabBytes bytes of the pages of all slabs
 * @param minObjSize the smallest objsize, 0 with no cache
 * @param maxObjSize the largest objsize, 0 with no cache
 */
public record ReportTotals(
        int caches,
        int activeCaches,
        long numObjs,
        long activeObjs,
        long inUseObjs,
        long cachedObjs,
        long freeObjs,
        long numSlabs,
        long activeSlabs,
        long totalSize,
        long activeSize,
        long inUseSize,
        long cachedSize,
        long slabBytes,
        long minObjSize,
        long maxObjSize) {

    /** Sums {@code caches}. */
    public static ReportTotals of(List<CacheReading> caches) {
        int active = 0;
        long num = 0, act = 0, inUse = 0, cached = 0, free = 0, slabs = 0, actSlabs = 0;
        long total = 0, actSize = 0, inUseSize = 0, cachedSize = 0, bytes = 0;
        long min = Long.MAX_VALUE, max = 0;
        for (CacheReading c : caches) {
            if (c.numObjs() > 0) {
                active++;
            }
            num += c.numObjs();
            act += c.activeObjs();
            inUse += c.inUseObjs();
            cached += c.cachedObjs();
            free += c.freeObjs();
            slabs += c.numSlabs();
            actSlabs += c.activeSlabs();
            total += c.numObjs() * c.size();
            actSize += c.activeObjs() * c.size();
            inUseSize += c.inUseObjs() * c.size();
            cachedSize += c.cachedObjs() * c.size();
            bytes += c.slabBytes();
            min = Math.min(min, c.size());
            max = Math.max(max, c.size());
        }
        return new ReportTotals(
                caches.size(),
                active,
                num,
                act,
                inUse,
                cached,
                free,
                slabs,
                actSlabs,
                total,
                actSize,
                inUseSize,
                cachedSize,
                bytes,
                caches.isEmpty() ? 0 : min,
                max);
    }
}
