package org.slab4j.internal.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slab4j.CacheStats;
import org.slab4j.internal.page.PageConfig;
import org.slab4j.internal.slab.CacheFlags;
import org.slab4j.internal.slab.CacheHandle;
import org.slab4j.internal.slab.SlabSystem;

/** The slabtop summary, the JSON lines and slabinfo print the numbers the runtime reports through {@link CacheStats}. */
class ReportFormatTest {
    private final SlabSystem sys = new SlabSystem(new SlabSystem.Config(
            new PageConfig(4096, 64, 1), 1, 1, false, Long.MAX_VALUE, false, 1, false, true, 0, 0));
    private final Reporter reporter = Reporter.start("fmt", false, sys, Duration.ZERO, false);
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
            point.cache().free(point, objs.get(i));
        }
        return sys.stats(point);
    }

    @Test
    void slabtopRowAndTotalsMatchCacheStats() {
        CacheStats st = fill();
        assertEquals(90, st.inUseObjects());
        AllocatorReport r = reporter.read();
        String text = Slabtop.format(r, 1000);
        System.out.print(Reporter.text(r, 5));

        String row = text.lines().filter(l -> l.endsWith(" point")).findFirst().orElseThrow();
        String[] f = row.trim().split("\\s+");
        assertEquals(st.totalObjects(), Long.parseLong(f[0]), row);
        assertEquals(st.inUseObjects() + st.cachedObjects(), Long.parseLong(f[1]), row);
        assertEquals(100 * (st.inUseObjects() + st.cachedObjects()) / st.totalObjects() + "%", f[2], row);
        assertEquals("0.02K", f[3], row); // 24 bytes
        assertEquals(st.slabs(), Long.parseLong(f[4]), row);
        assertEquals(st.slabBytes() / 1024 + "K", f[6], row);

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
    }

    @Test
    void textListsTheLargestCachesFirstAndCountsTheRest() {
        fill();
        AllocatorReport r = reporter.read();
        String text = Slabtop.format(r, 3);
        List<String> rows = text.lines()
                .dropWhile(l -> !l.equals(Slabtop.COLUMNS.strip()) && !l.equals(Slabtop.COLUMNS.stripTrailing()))
                .skip(1)
                .toList();
        assertEquals(4, rows.size(), text);
        long previous = Long.MAX_VALUE;
        for (String row : rows.subList(0, 3)) {
            long size = Long.parseLong(row.trim().split("\\s+")[6].replace("K", ""));
            assertTrue(size <= previous, text);
            previous = size;
        }
        assertEquals(" (" + (r.caches().size() - 3) + " smaller caches not shown)", rows.get(3));
    }

    @Test
    void jsonLinesAreOneObjectPerCacheAndOneSummary() {
        CacheStats st = fill();
        AllocatorReport r = reporter.read();
        List<String> lines = JsonLines.format(r);
        assertEquals(r.caches().size() + 1, lines.size());
        Map<String, Object> summary = Json.parseObject(lines.getFirst());
        assertEquals("summary", summary.get("type"));
        assertEquals("fmt", summary.get("allocator"));
        assertEquals((long) r.caches().size(), summary.get("caches"));
        assertEquals(r.totals().inUseObjs(), summary.get("inUseObjects"));
        assertEquals(sys.pages().mappedBytes(), summary.get("mappedBytes"));
        Map<String, Object> pointLine = null;
        for (String line : lines.subList(1, lines.size())) {
            assertTrue(!line.contains("\n"), line);
            Map<String, Object> o = Json.parseObject(line);
            assertEquals("cache", o.get("type"));
            assertEquals(summary.get("time"), o.get("time"));
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
        sys.createCache(odd, 40, 0, CacheFlags.NO_MERGE, null);
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
            public List<String> jsonLines() {
                return List.of("{\"type\":\"type\",\"name\":\"Point\"}");
            }
        });
        AllocatorReport r = reporter.read();
        assertTrue(Reporter.text(r, 5).endsWith("\nper type: Point 90\n"));
        List<String> lines = JsonLines.format(r);
        assertEquals("{\"type\":\"type\",\"name\":\"Point\"}", lines.getLast());
        assertEquals(r.caches().size() + 2, lines.size());
    }

    @Test
    void aClosedAllocatorHasNoReport() {
        sys.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, reporter::report);
        assertTrue(e.getMessage().contains("'fmt'"), e.getMessage());
    }
}
