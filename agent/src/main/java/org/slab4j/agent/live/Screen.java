package org.slab4j.agent.live;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;
import org.slab4j.agent.live.Snapshot.CacheRow;
import org.slab4j.agent.live.Snapshot.SiteRow;
import org.slab4j.agent.live.Snapshot.TypeRow;

/**
 * The two views of {@code slabtop} as lines of text. The caches view is procps {@code slabtop}'s: its five summary
 * lines, then slab4j's split of the active objects into in use and cached (and the mapped memory), then one row per
 * cache under procps's column header. The types view lists the {@code @Slab} types by live bytes and their top
 * allocation sites.
 */
final class Screen {
    static final String COLUMNS = "  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME";
    static final String TYPE_COLUMNS = "      LIVE  LIVE SIZE     ALLOCS      FREES    LEAKS TYPE (CACHE)";
    static final String SITE_COLUMNS = " LIVE SIZE     ALLOCS      FREES    LEAKS SITE (TYPE)";

    private Screen() {}

    /**
     * @param status the index of the status line
     * @return {@code rows} lines at most (a terminal shorter than a view's head would scroll its top off): the first
     *     ones, or on a terminal too short for the head down to the status line, the lines that end with it
     */
    private static List<String> fit(List<String> lines, int rows, int status) {
        int from = Math.max(0, status + 1 - rows);
        return lines.subList(from, Math.min(lines.size(), from + rows));
    }

    /**
     * @param rows the most lines to return (the terminal's height), or {@link Integer#MAX_VALUE} for all
     * @param status a line on what is shown and the keys, or null for none
     */
    static List<String> caches(Snapshot s, SortKey sort, int rows, String status) {
        long num = sum(s, CacheRow::numObjs), act = sum(s, CacheRow::activeObjs);
        long inUse = sum(s, CacheRow::inUseObjs),
                cached = sum(s, CacheRow::cachedObjs),
                free = sum(s, CacheRow::freeObjs);
        long slabs = sum(s, CacheRow::numSlabs), actSlabs = sum(s, CacheRow::activeSlabs);
        long bytes = sum(s, CacheRow::slabBytes);
        // sizes count each object at its buffer size (objsize), as procps does
        long total = sum(s, c -> c.numObjs() * c.objsize()), actSize = sum(s, c -> c.activeObjs() * c.objsize());
        long inUseSize = sum(s, c -> c.inUseObjs() * c.objsize());
        long cachedSize = sum(s, c -> c.cachedObjs() * c.objsize());
        long min = s.caches().stream().mapToLong(CacheRow::objsize).min().orElse(0);
        long max = s.caches().stream().mapToLong(CacheRow::objsize).max().orElse(0);
        long activeCaches = s.caches().stream().filter(c -> c.numObjs() > 0).count();
        int caches = s.caches().size();
        List<String> out = new ArrayList<>();
        out.add(f(" Active / Total Objects (%% used)    : %d / %d (%.1f%%)", act, num, pct(act, num)));
        out.add(f(" Active / Total Slabs (%% used)      : %d / %d (%.1f%%)", actSlabs, slabs, pct(actSlabs, slabs)));
        out.add(f(
                " Active / Total Caches (%% used)     : %d / %d (%.1f%%)",
                activeCaches, caches, pct(activeCaches, caches)));
        out.add(f(
                " Active / Total Size (%% used)       : %.2fK / %.2fK (%.1f%%)",
                k(actSize), k(total), pct(actSize, total)));
        out.add(f(
                " Minimum / Average / Maximum Object : %.2fK / %.2fK / %.2fK",
                k(min), k(num == 0 ? 0 : total / num), k(max)));
        out.add(f(" In use / Cached / Free Objects     : %d / %d / %d", inUse, cached, free));
        out.add(f(
                " Slab / Mapped Memory (limit)       : %.2fK / %.2fK (%s)",
                k(bytes),
                k(s.mappedBytes()),
                s.memoryLimit() == Long.MAX_VALUE ? "no limit" : f("%.2fK", k(s.memoryLimit()))));
        out.add(f(" In use / Cached Size               : %.2fK / %.2fK", k(inUseSize), k(cachedSize)));
        int statusLine = out.size();
        out.add(status == null ? "" : status);
        out.add(COLUMNS);
        List<CacheRow> sorted = new ArrayList<>(s.caches());
        sorted.sort(sort.order());
        for (CacheRow c : sorted) {
            if (out.size() >= rows) {
                break;
            }
            out.add(f(
                    "%6d %6d %3d%% %7.2fK %6d %8d %9dK %s",
                    c.numObjs(),
                    c.activeObjs(),
                    c.use(),
                    k(c.objsize()),
                    c.numSlabs(),
                    c.objPerSlab(),
                    c.slabBytes() / 1024,
                    c.name()));
        }
        return fit(out, rows, statusLine);
    }

    /** The {@code @Slab} types by live bytes, then their allocation sites by live bytes; same parameters. */
    static List<String> types(Snapshot s, int rows, String status) {
        long live = 0, liveBytes = 0, leaks = 0;
        for (TypeRow t : s.types()) {
            live += t.live();
            liveBytes += t.liveBytes();
            leaks += t.leaks();
        }
        List<String> out = new ArrayList<>();
        out.add(f(
                " @Slab types: %d   live objects: %d   live size: %.2fK   leaks: %d",
                s.types().size(), live, k(liveBytes), leaks));
        int statusLine = out.size();
        out.add(status == null ? "" : status);
        out.add(TYPE_COLUMNS);
        List<TypeRow> types = new ArrayList<>(s.types());
        types.sort(Comparator.comparingLong(TypeRow::liveBytes).reversed().thenComparing(TypeRow::type));
        int typeRows = Math.max(1, (rows - 6) / 2); // half of the screen for types, half for sites
        for (TypeRow t : types.subList(0, Math.min(types.size(), typeRows))) {
            String cache = t.cache().equals(t.sharedCache()) ? t.cache() : t.cache() + " -> " + t.sharedCache();
            out.add(f(
                    "%10d %9.2fK %10d %10d %8d %s (%s)",
                    t.live(), k(t.liveBytes()), t.allocations(), t.frees(), t.leaks(), t.type(), cache));
        }
        out.add("");
        out.add(" top allocation sites by live bytes (n/a: known for TRACKED types only, ranked by bytes allocated)");
        out.add(SITE_COLUMNS);
        record Site(TypeRow type, SiteRow site) {
            /** Live bytes, else (not known) allocated bytes, as the runtime's report ranks sites. */
            long rank() {
                return site.liveBytes() != null ? site.liveBytes() : site.allocations() * type.objectSize();
            }
        }
        List<Site> sites = new ArrayList<>();
        for (TypeRow t : s.types()) {
            for (SiteRow r : t.sites()) {
                sites.add(new Site(t, r));
            }
        }
        sites.sort(Comparator.comparingLong(Site::rank)
                .thenComparingLong(x -> x.site().allocations())
                .reversed());
        for (Site x : sites) {
            if (out.size() >= rows) {
                break;
            }
            out.add(f(
                    "%10s %10d %10s %8d %s (%s)",
                    x.site().liveBytes() == null ? "n/a" : f("%.2fK", k(x.site().liveBytes())),
                    x.site().allocations(),
                    x.site().frees() == null ? "n/a" : x.site().frees().toString(),
                    x.site().leaks(),
                    x.site().location(),
                    x.type().type()));
        }
        return fit(out, rows, statusLine);
    }

    private static long sum(Snapshot s, ToLongFunction<CacheRow> f) {
        return s.caches().stream().mapToLong(f).sum();
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    private static double pct(long part, long whole) {
        return whole == 0 ? 0.0 : 100.0 * part / whole;
    }

    private static double k(long bytes) {
        return bytes / 1024.0;
    }
}
