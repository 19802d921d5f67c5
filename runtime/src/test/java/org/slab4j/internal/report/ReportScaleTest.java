package org.slab4j.internal.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.slab4j.internal.page.PageConfig;
import org.slab4j.internal.slab.CacheFlags;
import org.slab4j.internal.slab.CacheHandle;
import org.slab4j.internal.slab.SlabSystem;

/**
 * A report of 1,000 caches: reading and formatting are measured and printed (the target for 1,000 caches and 10,000
 * allocation sites is 100 ms; this is the caches' part). No timing is asserted: the machine is shared.
 */
class ReportScaleTest {
    @Test
    void thousandCaches() {
        SlabSystem sys = new SlabSystem(new SlabSystem.Config(
                new PageConfig(4096, 64, 1), 1, 2, false, Long.MAX_VALUE, false, 1, false, false, 0, 0));
        Reporter reporter = Reporter.start("scale", false, sys, ReportOptions.ON_DEMAND);
        try {
            for (int i = 0; i < 1000; i++) {
                CacheHandle h = sys.createCache("cache-" + i, 16 + 8 * (i % 200), 0, CacheFlags.NO_MERGE, null);
                h.cache().alloc(h);
            }
            long bestRead = Long.MAX_VALUE, bestText = Long.MAX_VALUE, bestJson = Long.MAX_VALUE;
            int lines = 0;
            for (int round = 0; round < 5; round++) {
                long t0 = System.nanoTime();
                AllocatorReport r = reporter.read();
                long t1 = System.nanoTime();
                String text = Reporter.text(r);
                long t2 = System.nanoTime();
                List<String> json = JsonLines.format(r);
                long t3 = System.nanoTime();
                bestRead = Math.min(bestRead, t1 - t0);
                bestText = Math.min(bestText, t2 - t1);
                bestJson = Math.min(bestJson, t3 - t2);
                lines = json.size();
                assertEquals(r.nonEmptyCaches().size() + 1, lines);
                assertTrue(r.nonEmptyCaches().size() >= 1000, text);
                assertEquals(sys.handles().size(), r.caches().size(), text);
            }
            System.out.printf(
                    "report of %d caches (best of 5): read %.1f ms, text %.1f ms, JSON %.1f ms (%d lines)%n",
                    lines - 1, bestRead / 1e6, bestText / 1e6, bestJson / 1e6, lines);
        } finally {
            reporter.close();
            sys.close();
        }
    }
}
