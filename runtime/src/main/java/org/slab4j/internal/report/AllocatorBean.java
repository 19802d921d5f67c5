package org.slab4j.internal.report;

/** The {@link SlabAllocatorMXBean} of one allocator: each attribute is read from a fresh reading of its caches. */
final class AllocatorBean implements SlabAllocatorMXBean {
    private final Reporter reporter;

    AllocatorBean(Reporter reporter) {
        this.reporter = reporter;
    }

    private ReportTotals totals() {
        return reporter.readCaches().totals();
    }

    @Override
    public String getName() {
        return reporter.allocator();
    }

    @Override
    public int getNodes() {
        return reporter.readCaches().nodes();
    }

    @Override
    public long getMappedBytes() {
        return reporter.readCaches().mappedBytes();
    }

    @Override
    public long getMemoryLimit() {
        return reporter.readCaches().memoryLimit();
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
        return reporter.readCaches().slabinfo();
    }

    @Override
    public String report() {
        return Reporter.text(reporter.read());
    }
}
