package org.slab4j.internal.report;

import java.util.Locale;

/**
 * The summary lines {@code slabtop -o} prints above its table (procps): the totals. Beyond slabtop they say how the
 * active objects split into objects in use and objects cached (free, parked in arrays), and how much native memory the
 * allocator has mapped. The report lists the caches themselves as slabinfo rows.
 */
public final class Slabtop {
    private Slabtop() {}

    /** @return the summary lines, each ending with {@code '\n'} */
    public static String summary(AllocatorReport r) {
        ReportTotals t = r.totals();
        StringBuilder sb = new StringBuilder(1024);
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
                .append("  arrays for reuse, and go back to their slabs when drained or reaped)\n");
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
