package org.slab4j.internal.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.slab4j.internal.slab.CacheReading;

/**
 * The summary {@code slabtop -o -s c} prints (procps): the totals, then the caches by memory, largest first. Beyond
 * slabtop it says how the active objects split into objects in use and objects cached (free, parked in arrays), and how
 * much native memory the allocator has mapped.
 */
public final class Slabtop {
    static final String COLUMNS = "  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME\n";

    private Slabtop() {}

    /**
     * @param top how many caches to list (the largest by slab memory)
     * @return the summary: header lines, a blank line, the column header and one row per listed cache
     */
    public static String format(AllocatorReport r, int top) {
        ReportTotals t = r.totals();
        StringBuilder sb = new StringBuilder(256 + 80 * Math.min(top, r.caches().size()));
        line(
                sb,
                " Active / Total Objects (%% used)    : %d / %d (%.1f%%)",
                t.activeObjs(),
                t.numObjs(),
                pct(t.activeObjs(), t.numObjs()));
        line(
                sb,
                " Active / Total Slabs (%% used)      : %d / %d (%.1f%%)",
                t.activeSlabs(),
                t.numSlabs(),
                pct(t.activeSlabs(), t.numSlabs()));
        line(
                sb,
                " Active / Total Caches (%% used)     : %d / %d (%.1f%%)",
                t.activeCaches(),
                t.caches(),
                pct(t.activeCaches(), t.caches()));
        line(
                sb,
                " Active / Total Size (%% used)       : %.2fK / %.2fK (%.1f%%)",
                k(t.activeSize()),
                k(t.totalSize()),
                pct(t.activeSize(), t.totalSize()));
        line(
                sb,
                " Minimum / Average / Maximum Object : %.2fK / %.2fK / %.2fK",
                k(t.minObjSize()),
                k(t.numObjs() == 0 ? 0 : t.totalSize() / t.numObjs()),
                k(t.maxObjSize()));
        line(sb, " In use / Cached / Free Objects     : %d / %d / %d", t.inUseObjs(), t.cachedObjs(), t.freeObjs());
        line(
                sb,
                " In use / Cached / Free Size        : %.2fK / %.2fK / %.2fK",
                k(t.inUseSize()),
                k(t.cachedSize()),
                k(t.totalSize() - t.activeSize()));
        line(
                sb,
                " Slab / Mapped Memory (limit)       : %.2fK / %.2fK (%s)",
                k(t.slabBytes()),
                k(r.mappedBytes()),
                r.memoryLimit() == Long.MAX_VALUE
                        ? "no limit"
                        : String.format(Locale.ROOT, "%.2fK", k(r.memoryLimit())));
        sb.append(" (active = in use + cached; cached objects are free but parked in per-thread, shared and alien\n")
                .append("  arrays for reuse, and go back to their slabs when drained or reaped)\n\n");
        sb.append(COLUMNS);
        List<CacheReading> bySize = new ArrayList<>(r.caches());
        bySize.sort(Comparator.comparingLong(CacheReading::slabBytes).reversed().thenComparing(CacheReading::name));
        int shown = Math.min(top, bySize.size());
        for (CacheReading c : bySize.subList(0, shown)) {
            line(
                    sb,
                    "%6d %6d %3d%% %7.2fK %6d %8d %9dK %s",
                    c.numObjs(),
                    c.activeObjs(),
                    c.numObjs() == 0 ? 0 : 100 * c.activeObjs() / c.numObjs(),
                    k(c.size()),
                    c.numSlabs(),
                    c.objPerSlab(),
                    c.slabBytes() / 1024,
                    c.name());
        }
        if (shown < bySize.size()) {
            line(sb, " (%d smaller caches not shown)", bySize.size() - shown);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String format, Object... args) {
        sb.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    private static double pct(long part, long whole) {
        return whole == 0 ? 0.0 : 100.0 * part / whole;
    }

    private static double k(long bytes) {
        return bytes / 1024.0;
    }
}
