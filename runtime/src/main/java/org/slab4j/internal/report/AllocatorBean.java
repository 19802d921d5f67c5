package org.slab4j.internal.report;

/** The {@link SlabAllocatorMXBean} of one allocator: each attribute is read from a fresh report. */
final class AllocatorBean implements SlabAllocatorMXBean {
    private final Reporter reporter;

    AllocatorBean(Reporter reporter) {
        this.reporter = reporter;
    }

    private ReportTotals totals() {
        return reporter.read().totals();
    }

    @Override
    public String getName() {
        return reporter.allocator();
    }

    @Override
    public int getNodes() {
        return reporter.read().nodes();
    }

    @Override
    public long getMappedBytes() {
        return reporter.read().mappedBytes();
    }

    @Override
    public long getMemoryLimit() {
        return reporter.read().memoryLimit();
    }

    @Override
    public int getCaches() {
        return totals().caches();
    }

    @Override
    public int getActiveCaches() {
        return totals().activeCaches();
    }

    @Override
    public long getNumObjs() {
        return totals().numObjs();
    }

    @Override
    public long getActiveObjs() {
        return totals().activeObjs();
    }

    @Override
    public long getInUseObjs() {
        return totals().inUseObjs();
    }

    @Override
    public long getCachedObjs() {
        return totals().cachedObjs();
    }

    @Override
    public long getFreeObjs() {
        return totals().freeObjs();
    }

    @Override
    public long getNumSlabs() {
        return totals().numSlabs();
    }

    @Override
    public long getActiveSlabs() {
        return totals().activeSlabs();
    }

    @Override
    public long getSlabBytes() {
        return totals().slabBytes();
    }

    @Override
    public String slabinfo() {
        return reporter.read().slabinfo();
    }

    @Override
    public String report() {
        return reporter.report();
    }
}
