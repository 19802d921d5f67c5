package org.slab4j.internal.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slab4j.SlabStatistics;
import org.slab4j.internal.slab.CacheReading;
import org.slab4j.internal.slab.Tunables;

/**
 * A report as JSON lines (schema in docs/reports.md): one summary object ({@code "type":"summary"}), one object per
 * cache that holds slabs ({@code "type":"cache"}), then the sections' lines. Every object starts with the schema
 * version, its type, the report's time and the allocator's name, so that lines of several reports and allocators can be
 * told apart. Numbers that are not known are {@code null}, never a sentinel.
 */
public final class JsonLines {
    /** The schema version: raised when a field changes meaning or goes away (added fields keep it). */
    public static final int SCHEMA = 1;

    private JsonLines() {}

    /** @return the lines, each one JSON object with no line break */
    public static List<String> format(AllocatorReport r) {
        List<CacheReading> shown = r.nonEmptyCaches();
        List<String> lines = new ArrayList<>(shown.size() + 1 + 4 * r.sections().size());
        Function<String, JsonObject> start = type -> new JsonObject()
                .field("schema", SCHEMA)
                .field("type", type)
                .field("time", r.time().toString())
                .field("allocator", r.allocator());
        ReportTotals t = r.totals();
        lines.add(start.apply("summary")
                .field("nodes", r.nodes())
                .field("caches", t.caches())
                .field("activeCaches", t.activeCaches())
                .field("objects", t.numObjs())
                .field("activeObjects", t.activeObjs())
                .field("inUseObjects", t.inUseObjs())
                .field("cachedObjects", t.cachedObjs())
                .field("freeObjects", t.freeObjs())
                .field("slabs", t.numSlabs())
                .field("activeSlabs", t.activeSlabs())
                .field("inUseBytes", t.inUseSize())
                .field("cachedBytes", t.cachedSize())
                .field("objectBytes", t.totalSize())
                .field("slabBytes", t.slabBytes())
                .field("mappedBytes", r.mappedBytes())
                .fieldOrNull("memoryLimit", r.memoryLimit() == Long.MAX_VALUE ? null : r.memoryLimit())
                .toString());
        for (CacheReading c : shown) {
            lines.add(cache(start.apply("cache"), c));
        }
        for (ReportSection s : r.sections()) {
            lines.addAll(s.jsonLines(start));
        }
        return lines;
    }

    private static String cache(JsonObject o, CacheReading c) {
        Tunables tu = c.tunables();
        SlabStatistics st = c.statistics();
        return o.field("name", c.name())
                .field("aliases", c.aliases())
                .field("objectSize", c.objectSize())
                .field("objsize", c.size())
                .field("objperslab", c.objPerSlab())
                .field("pagesperslab", c.pagesPerSlab())
                .field("objects", c.numObjs())
                .field("activeObjects", c.activeObjs())
                .field("inUseObjects", c.inUseObjs())
                .field("cachedObjects", c.cachedObjs())
                .field("freeObjects", c.freeObjs())
                .field("slabs", c.numSlabs())
                .field("activeSlabs", c.activeSlabs())
                .field("sharedAvail", c.sharedAvail())
                .field("slabBytes", c.slabBytes())
                .object(
                        "tunables",
                        new JsonObject()
                                .field("limit", tu.limit())
                                .field("batchcount", tu.batchcount())
                                .field("shared", tu.shared()))
                .object(
                        "statistics",
                        new JsonObject()
                                .field("listallocs", st.listAllocs())
                                .field("maxobjs", st.maxObjs())
                                .field("grown", st.grown())
                                .field("reaped", st.reaped())
                                .field("error", st.errors())
                                .field("maxfreeable", st.maxFreeable())
                                .field("nodeallocs", st.nodeAllocs())
                                .field("remotefrees", st.remoteFrees())
                                .field("alienoverflow", st.alienOverflow())
                                .field("allochit", st.allocHit())
                                .field("allocmiss", st.allocMiss())
                                .field("freehit", st.freeHit())
                                .field("freemiss", st.freeMiss()))
                .toString();
    }
}
