package org.slab4j.agent.live;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.slab4j.agent.live.Snapshot.SiteRow;
import org.slab4j.agent.live.Snapshot.TypeRow;

/** The lines of {@code slabtop}'s views, from snapshots made up for the case. */
class ScreenTest {
    /**
     * A site whose live bytes are not known (an {@code EXPLICIT} or {@code SAMPLED} type's) is ranked by the bytes it allocated, as the
     * runtime's report ranks it (docs/reports.md), not below every site that is known to hold nothing.
     */
    @Test
    void aSiteWithoutLiveBytesIsRankedByTheBytesItAllocated() {
        TypeRow explicit = new TypeRow(
                "a.Explicit",
                "Explicit",
                "Explicit",
                1000,
                0,
                0,
                1000,
                64_000,
                64,
                List.of(new SiteRow("A.busy:1", 1000, null, 0, null)));
        TypeRow tracked = new TypeRow(
                "a.Tracked", "Tracked", "Tracked", 5, 5, 0, 0, 0, 64, List.of(new SiteRow("A.idle:2", 5, 5L, 0, 0L)));
        Snapshot s = new Snapshot("global", List.of(), 0, 0, List.of(tracked, explicit));
        List<String> lines = Screen.types(s, Integer.MAX_VALUE, null);
        int busy = indexOf(lines, "A.busy:1"), idle = indexOf(lines, "A.idle:2");
        assertTrue(busy >= 0 && idle >= 0 && busy < idle, String.join("\n", lines));
    }

    /**
     * The sites' note says when {@code n/a} appears as the runtime's report does: a {@code SAMPLED} type (the default)
     * does not attribute frees to sites either, so "EXPLICIT types" alone would mislead about the commonest case.
     */
    @Test
    void theSitesNoteSaysLiveBytesAreKnownForTrackedTypesOnly() {
        TypeRow sampled = new TypeRow(
                "a.Sampled",
                "Sampled",
                "Sampled",
                3,
                1,
                0,
                2,
                128,
                64,
                List.of(new SiteRow("A.make:1", 3, null, 0, null)));
        List<String> lines = Screen.types(new Snapshot("global", List.of(), 0, 0, List.of(sampled)), 40, null);
        assertTrue(
                lines.contains(" top allocation sites by live bytes (n/a: known for TRACKED types only, ranked by bytes"
                        + " allocated)"),
                String.join("\n", lines));
    }

    /**
     * On a terminal shorter than the views' heads, each view keeps to its rows, so nothing scrolls off the top, and keeps
     * its status line (the keys).
     */
    @Test
    void aViewKeepsToTheRowsOfAShortTerminal() {
        Snapshot.CacheRow row = new Snapshot.CacheRow("c", 64, 63, 1, 63, 1, 1, 0, 62, 1, 1, 4096);
        TypeRow type =
                new TypeRow("a.T", "T", "T", 1, 0, 0, 1, 64, 64, List.of(new SiteRow("A.f:1", 1, null, 0, null)));
        Snapshot s = new Snapshot("global", List.of(row, row, row), 4 << 20, Long.MAX_VALUE, List.of(type, type));
        for (int rows = 1; rows <= 14; rows++) {
            List<String> caches = Screen.caches(s, SortKey.values()[0], rows, "status");
            List<String> types = Screen.types(s, rows, "status");
            assertTrue(caches.size() <= rows && caches.contains("status"), rows + " rows: " + caches);
            assertTrue(types.size() <= rows && types.contains("status"), rows + " rows: " + types);
        }
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
