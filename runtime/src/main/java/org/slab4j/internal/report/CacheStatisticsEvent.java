package org.slab4j.internal.report;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;
import org.slab4j.internal.slab.CacheReading;
import org.slab4j.internal.slab.Tunables;

/**
 * JFR event {@code org.slab4j.CacheStatistics}: a cache's {@code /proc/slabinfo} row, periodic (as
 * {@code jdk.GCHeapSummary}); one event per cache of every open allocator each period, emitted by
 * {@link JfrStatistics}. Off unless a recording enables it (the agent jar's {@code slab4j.jfc} does, every 5 s).
 */
@Name("org.slab4j.CacheStatistics")
@Label("Slab Cache Statistics")
@Description("a cache's slabinfo numbers: objects, slabs, sizes and tunables (periodic)")
@Category("slab4j")
@Enabled(false)
@StackTrace(false)
@Period("everyChunk")
final class CacheStatisticsEvent extends Event {
    @Label("Allocator")
    String allocator;

    @Label("Cache")
    String cache;

    @Label("Object Size")
    @Description("object_size: the bytes asked for")
    @DataAmount
    long objectSize;

    @Label("Buffer Size")
    @Description("objsize: the bytes each object takes in its slab")
    @DataAmount
    long objsize;

    @Label("Objects per Slab")
    long objPerSlab;

    @Label("Pages per Slab")
    long pagesPerSlab;

    @Label("Objects")
    @Description("num_objs: objects in all slabs")
    long numObjs;

    @Label("Active Objects")
    @Description("active_objs: in use plus cached")
    long activeObjs;

    @Label("Objects in Use")
    long inUseObjs;

    @Label("Cached Objects")
    @Description("free objects parked in per-thread, shared and alien arrays")
    long cachedObjs;

    @Label("Free Objects")
    @Description("objects on the slabs' freelists")
    long freeObjs;

    @Label("Slabs")
    long numSlabs;

    @Label("Active Slabs")
    long activeSlabs;

    @Label("Shared Available")
    @Description("objects in the nodes' shared arrays")
    long sharedAvail;

    @Label("Slab Memory")
    @DataAmount
    long slabBytes;

    @Label("Limit")
    long limit;

    @Label("Batch Count")
    long batchcount;

    @Label("Shared Factor")
    long shared;

    /**
     * Commits one event for {@code c} of allocator {@code allocator}. Not named {@code commit}: JFR treats a static
     * {@code commit} of an event class on the boot class path (where the agent puts the runtime) as its own, and the
     * JVM then refuses to link it.
     */
    static void emit(String allocator, CacheReading c) {
        CacheStatisticsEvent e = new CacheStatisticsEvent();
        Tunables t = c.tunables();
        e.allocator = allocator;
        e.cache = c.name();
        e.objectSize = c.objectSize();
        e.objsize = c.size();
        e.objPerSlab = c.objPerSlab();
        e.pagesPerSlab = c.pagesPerSlab();
        e.numObjs = c.numObjs();
        e.activeObjs = c.activeObjs();
        e.inUseObjs = c.inUseObjs();
        e.cachedObjs = c.cachedObjs();
        e.freeObjs = c.freeObjs();
        e.numSlabs = c.numSlabs();
        e.activeSlabs = c.activeSlabs();
        e.sharedAvail = c.sharedAvail();
        e.slabBytes = c.slabBytes();
        e.limit = t.limit();
        e.batchcount = t.batchcount();
        e.shared = t.shared();
        e.commit();
    }
}
