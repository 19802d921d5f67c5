package org.slab4j.internal.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slab4j.CacheStats;
import org.slab4j.internal.page.PageConfig;
import org.slab4j.internal.slab.CacheFlags;
import org.slab4j.internal.slab.CacheHandle;
import org.slab4j.internal.slab.CacheReading;
import org.slab4j.internal.slab.SlabSystem;

/** The slabtop summary, the JSON lines and slabinfo print the numbers the runtime reports through {@link CacheStats}. */
class ReportFormatTest {
    private final SlabSystem sys = new SlabSystem(new SlabSystem.Config(
            new PageConfig(4096, 64, 1), 1, 1, false, Long.MAX_VALUE, false, 1, false, true, 0, 0));
    private final Reporter reporter = Reporter.start("fmt", false, sys, ReportOptions.ON_DEMAND);
    private final CacheHandle point = sys.createCache("point", 24, 0, CacheFlags.NO_MERGE, null);

    @AfterEach
    void close() {
        reporter.close();
        sys.close();
    }

    /** 100 points allocated, 10 freed: 90 in use, 10 cached in the thread's array, the rest free on the slab. */
    private CacheStats fill() {
        List<MemorySegment> objs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            objs.add(point.cache().alloc(point));
        }
        for (int i = 0; i < 10; i++) {
            point.cache().free(point, null, objs.get(i));
        }
        return sys.stats(point);
    }

    @Test
    void slabinfoRowAndTotalsMatchCacheStats() {
        CacheStats st = fill();
        assertEquals(90, st.inUseObjects());
        AllocatorReport r = reporter.read();
        String text = Reporter.text(r);
        System.out.print(text);

        String row =
                text.lines().filter(l -> l.startsWith("point ")).findFirst().orElseThrow();
        String[] f = row.trim().split("\\s+");
        assertEquals(st.inUseObjects() + st.cachedObjects(), Long.parseLong(f[1]), row);
        assertEquals(st.totalObjects(), Long.parseLong(f[2]), row);
        assertEquals(
                sys.slabinfo()
                        .lines()
                        .filter(l -> l.startsWith("point "))
                        .findFirst()
                        .orElseThrow(),
                row);

        long total = 0, active = 0, inUse = 0, cached = 0, free = 0, slabs = 0;
        for (CacheHandle h : sys.handles()) {
            CacheStats s = sys.stats(h);
            total += s.totalObjects();
            active += s.inUseObjects() + s.cachedObjects();
            inUse += s.inUseObjects();
            cached += s.cachedObjects();
            free += s.freeObjects();
            slabs += s.slabs();
        }
        assertTrue(text.contains(" Active / Total Objects (% used)    : " + active + " / " + total + " ("), text);
        assertTrue(
                text.contains(" In use / Cached / Free Objects     : " + inUse + " / " + cached + " / " + free), text);
        assertTrue(text.contains(" / " + slabs + " ("), text);
        assertTrue(text.contains(" Active / Total Caches (% used)     : "), text);
        assertTrue(text.contains("(no limit)"), text);
    }

    @Test
    void textListsTheCachesWithSlabsAndCountsTheRest() {
        fill();
        AllocatorReport r = reporter.read();
        String text = Reporter.text(r);
        List<String> withSlabs = r.caches().stream()
                .filter(c -> c.numSlabs() > 0)
                .map(CacheReading::name)
                .toList();
        assertTrue(withSlabs.contains("point") && withSlabs.size() < r.caches().size(), withSlabs.toString());
        List<String> rows = text.lines()
                .dropWhile(l -> !l.startsWith("# name"))
                .skip(1)
                .takeWhile(l -> !l.startsWith(" ("))
                .toList();
        assertEquals(withSlabs, rows.stream().map(l -> l.split(" ")[0]).toList(), text);
        assertTrue(
                text.contains(" (" + (r.caches().size() - withSlabs.size()) + " caches without slabs not shown)\n"),
                text);
    }

    @Test
    void jsonLinesAreOneObjectPerCacheAndOneSummary() {
        CacheStats st = fill();
        AllocatorReport r = reporter.read();
        List<String> lines = JsonLines.format(r);
        assertEquals(r.nonEmptyCaches().size() + 1, lines.size());
        Map<String, Object> summary = Json.parseObject(lines.getFirst());
        assertEquals((long) JsonLines.SCHEMA, summary.get("schema"));
        assertEquals("summary", summary.get("type"));
        assertEquals("fmt", summary.get("allocator"));
        assertTrue(summary.containsKey("memoryLimit"));
        assertEquals(null, summary.get("memoryLimit"), "no limit is null, not Long.MAX_VALUE");
        assertEquals((long) r.caches().size(), summary.get("caches"));
        assertEquals(r.totals().inUseObjs(), summary.get("inUseObjects"));
        assertEquals(sys.pages().mappedBytes(), summary.get("mappedBytes"));
        Map<String, Object> pointLine = null;
        for (String line : lines.subList(1, lines.size())) {
            assertTrue(!line.contains("\n"), line);
            Map<String, Object> o = Json.parseObject(line);
            assertEquals("cache", o.get("type"));
            assertEquals(summary.get("schema"), o.get("schema"));
            assertEquals(summary.get("time"), o.get("time"));
            assertEquals("fmt", o.get("allocator"));
            if (o.get("name").equals("point")) {
                pointLine = o;
            }
        }
        assertTrue(pointLine != null, "no line for point");
        assertEquals(st.totalObjects(), pointLine.get("objects"));
        assertEquals(st.inUseObjects(), pointLine.get("inUseObjects"));
        assertEquals(st.cachedObjects(), pointLine.get("cachedObjects"));
        assertEquals(st.freeObjects(), pointLine.get("freeObjects"));
        assertEquals(st.slabs(), pointLine.get("slabs"));
        assertEquals(st.slabBytes(), pointLine.get("slabBytes"));
        assertEquals(24L, pointLine.get("objectSize"));
        assertEquals(List.of(), pointLine.get("aliases"));
        @SuppressWarnings("unchecked")
        Map<String, Object> tunables = (Map<String, Object>) pointLine.get("tunables");
        assertEquals(120L, tunables.get("limit"));
        @SuppressWarnings("unchecked")
        Map<String, Object> stats = (Map<String, Object>) pointLine.get("statistics");
        assertEquals(1L, stats.get("grown"));
    }

    @Test
    void jsonEscapesNames() {
        String odd = "we\"ird\\name/é"; // white space and control characters are refused in names
        CacheHandle h = sys.createCache(odd, 40, 0, CacheFlags.NO_MERGE, null);
        h.cache().alloc(h); // a cache without slabs is left out
        String line = JsonLines.format(reporter.read()).stream()
                .filter(l -> l.contains("we\\\"ird"))
                .findFirst()
                .orElseThrow();
        assertTrue(line.contains("\"name\":\"we\\\"ird\\\\name/é\""), line);
        assertEquals(odd, Json.parseObject(line).get("name"));
    }

    @Test
    void jsonObjectExactText() {
        String s = new JsonObject()
                .field("a", "x\"y")
                .field("n", -1)
                .field("l", List.of("p", "q"))
                .object("o", new JsonObject())
                .toString();
        assertEquals("{\"a\":\"x\\\"y\",\"n\":-1,\"l\":[\"p\",\"q\"],\"o\":{}}", s);
    }

    @Test
    void slabinfoOfTheReportIsTheRuntimesSlabinfo() {
        fill();
        assertEquals(sys.slabinfo(), reporter.read().slabinfo());
        assertTrue(sys.slabinfo().startsWith("slabinfo - version: 2.1 (statistics)\n"));
    }

    @Test
    void sectionsFollowTheCaches() {
        reporter.addSectionSource(() -> new ReportSection() {
            @Override
            public String text() {
                return "per type: Point 90\n";
            }

            @Override
            public List<String> jsonLines(Function<String, JsonObject> start) {
                return List.of(start.apply("perType").field("name", "Point").toString());
            }
        });
        AllocatorReport r = reporter.read();
        assertTrue(Reporter.text(r).endsWith("\nper type: Point 90\n"));
        List<String> lines = JsonLines.format(r);
        assertEquals(
                "{\"schema\":1,\"type\":\"perType\",\"time\":\"" + r.time()
                        + "\",\"allocator\":\"fmt\",\"name\":\"Point\"}",
                lines.getLast());
        assertEquals(r.nonEmptyCaches().size() + 2, lines.size());
    }

    @Test
    void aClosedAllocatorHasNoReport() {
        sys.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, reporter::report);
        assertTrue(e.getMessage().contains("'fmt'"), e.getMessage());
    }
}
