package org.slab4j.internal.report;

import java.util.List;
import org.slab4j.SlabStatistics;
import org.slab4j.internal.slab.CacheHandle;
import org.slab4j.internal.slab.CacheReading;
import org.slab4j.internal.slab.SlabReadings;
import org.slab4j.internal.slab.SlabSystem;

/** The {@link KmemCacheMXBean} of one cache: each attribute is a fresh reading of the cache behind its handle. */
final class CacheBean implements KmemCacheMXBean {
    private final SlabSystem sys;
    private final CacheHandle handle;

    CacheBean(SlabSystem sys, CacheHandle handle) {
        this.sys = sys;
        this.handle = handle;
    }

    private CacheReading read() {
        return SlabReadings.cache(handle);
    }

    private SlabStatistics stats() {
        return read().statistics();
    }

    @Override
    public String getName() {
        return handle.name();
    }

    @Override
    public List<String> getAliases() {
        return read().aliases();
    }

    @Override
    public long getObjectSize() {
        return read().objectSize();
    }

    @Override
    public long getObjsize() {
        return read().size();
    }

    @Override
    public int getObjPerSlab() {
        return read().objPerSlab();
    }

    @Override
    public int getPagesPerSlab() {
        return read().pagesPerSlab();
    }

    @Override
    public long getActiveObjs() {
        return read().activeObjs();
    }

    @Override
    public long getNumObjs() {
        return read().numObjs();
    }

    @Override
    public long getInUseObjs() {
        return read().inUseObjs();
    }

    @Override
    public long getCachedObjs() {
        return read().cachedObjs();
    }

    @Override
    public long getFreeObjs() {
        return read().freeObjs();
    }

    @Override
    public long getActiveSlabs() {
        return read().activeSlabs();
    }

    @Override
    public long getNumSlabs() {
        return read().numSlabs();
    }

    @Override
    public long getSharedAvail() {
        return read().sharedAvail();
    }

    @Override
    public long getSlabBytes() {
        return read().slabBytes();
    }

    @Override
    public int getLimit() {
        return read().tunables().limit();
    }

    @Override
    public int getBatchcount() {
        return read().tunables().batchcount();
    }

    @Override
    public int getSharedFactor() {
        return read().tunables().shared();
    }

    @Override
    public long getListAllocs() {
        return stats().listAllocs();
    }

    @Override
    public long getMaxObjs() {
        return stats().maxObjs();
    }

    @Override
    public long getGrown() {
        return stats().grown();
    }

    @Override
    public long getReaped() {
        return stats().reaped();
    }

    @Override
    public long getErrors() {
        return stats().errors();
    }

    @Override
    public long getMaxFreeable() {
        return stats().maxFreeable();
    }

    @Override
    public long getNodeAllocs() {
        return stats().nodeAllocs();
    }

    @Override
    public long getRemoteFrees() {
        return stats().remoteFrees();
    }

    @Override
    public long getAlienOverflow() {
        return stats().alienOverflow();
    }

    @Override
    public long getAllocHit() {
        return stats().allocHit();
    }

    @Override
    public long getAllocMiss() {
        return stats().allocMiss();
    }

    @Override
    public long getFreeHit() {
        return stats().freeHit();
    }

    @Override
    public long getFreeMiss() {
        return stats().freeMiss();
    }

    @Override
    public void tune(int limit, int batchcount, int shared) {
        handle.checkLive();
        sys.tune(handle.name(), limit, batchcount, shared);
    }

    @Override
    public void shrink() {
        sys.shrink(handle);
    }
}
