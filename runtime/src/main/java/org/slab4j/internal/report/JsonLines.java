package org.slab4j.internal.report;

import java.util.ArrayList;
import java.util.List;
import org.slab4j.internal.slab.CacheReading;
import org.slab4j.internal.slab.SlabStatistics;
import org.slab4j.internal.slab.Tunables;

/**
 * A report as JSON lines: one summary object ({@code "type":"summary"}), one object per cache
 * ({@code "type":"cache"}), then the sections' lines. Every object carries the allocator's name and the report's time,
 * so lines of several reports and allocators can be told apart.
 */
public final class JsonLines {
    private JsonLines() {}

    /** @return the lines, each one JSON object with no line break */
    public static List<String> format(AllocatorReport r) {
        List<String> lines =
                new ArrayList<>(r.caches().size() + 1 + r.sections().size());
        String time = r.time().toString();
        ReportTotals t = r.totals();
        lines.add(new JsonObject()
                .field("type", "summary")
                .field("allocator", r.allocator())
                .field("time", time)
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
                .field("memoryLimit", r.memoryLimit())
                .toString());
        for (CacheReading c : r.caches()) {
            lines.add(cache(r.allocator(), time, c));
        }
        for (ReportSection s : r.sections()) {
            lines.addAll(s.jsonLines());
        }
        return lines;
    }

    private static String cache(String allocator, String time, CacheReading c) {
        Tunables tu = c.tunables();
        SlabStatistics st = c.statistics();
        return new JsonObject()
                .field("type", "cache")
                .field("allocator", allocator)
                .field("time", time)
                .field("name", c.name())
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
