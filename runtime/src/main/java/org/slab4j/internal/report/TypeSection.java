package org.slab4j.internal.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slab4j.Slabs;
import org.slab4j.Slabs.SiteStats;
import org.slab4j.Slabs.TypeStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code @Slab} part of the global allocator's report: per annotated type (also when merged) live objects and
 * bytes, allocations, frees and leaks; the top allocation sites by live bytes; and, at WARN, the leaks found since the
 * last report, by site.
 *
 * <p>A site's live objects are known for {@code TRACKED} types only (an {@code EXPLICIT} type keeps no per-object
 * record, so its frees are not attributed to sites): such sites are ranked by the bytes they allocated and show
 * {@code n/a}.
 */
final class TypeSection implements ReportSection {
    static final int TOP_SITES = 20;
    private static final Logger LOG = LoggerFactory.getLogger("org.slab4j.report");

    private final String text;
    private final List<String> json;

    private TypeSection(String text, List<String> json) {
        this.text = text;
        this.json = json;
    }

    /** @return a source of fresh sections that remembers which leaks it has already logged */
    static Supplier<ReportSection> source() {
        Map<String, Long> leaksLogged = new HashMap<>();
        return () -> read(leaksLogged);
    }

    private record SiteLine(TypeStats type, SiteStats site, long liveBytes) {}

    private static TypeSection read(Map<String, Long> leaksLogged) {
        List<TypeStats> types = Slabs.allStats();
        if (types.isEmpty()) {
            return new TypeSection("", List.of());
        }
        StringBuilder sb = new StringBuilder("\n @Slab types\n")
                .append(String.format(
                        " %10s %12s %12s %12s %8s  %s%n",
                        "LIVE", "LIVE BYTES", "ALLOCS", "FREES", "LEAKS", "TYPE (CACHE)"));
        List<String> json = new ArrayList<>();
        List<SiteLine> sites = new ArrayList<>();
        for (TypeStats t : types) {
            String cache = t.cache().equals(t.sharedCache()) ? t.cache() : t.cache() + " -> " + t.sharedCache();
            sb.append(String.format(
                    " %10d %12d %12d %12d %8d  %s (%s)%n",
                    t.live(), t.live() * t.objectSize(), t.allocations(), t.frees(), t.leaks(), t.type(), cache));
            json.add(new JsonObject()
                    .field("type", "slabType")
                    .field("class", t.type())
                    .field("cache", t.cache())
                    .field("sharedCache", t.sharedCache())
                    .field("objectSize", t.objectSize())
                    .field("live", t.live())
                    .field("allocations", t.allocations())
                    .field("frees", t.frees())
                    .field("leaks", t.leaks())
                    .toString());
            for (SiteStats s : t.sites()) {
                long live = t.tracked() ? s.allocations() - s.frees() - s.leaks() : -1;
                sites.add(new SiteLine(t, s, live < 0 ? -1 : live * t.objectSize()));
                logNewLeaks(leaksLogged, t, s);
            }
        }
        sites.sort(Comparator.comparingLong(SiteLine::liveBytes)
                .thenComparingLong(l -> l.site().allocations() * l.type().objectSize())
                .reversed());
        sb.append(String.format(
                " top allocation sites by live bytes%n %12s %12s %12s %8s  %s%n",
                "LIVE BYTES", "ALLOCS", "FREES", "LEAKS", "SITE (TYPE)"));
        for (int i = 0; i < Math.min(TOP_SITES, sites.size()); i++) {
            SiteLine l = sites.get(i);
            SiteStats s = l.site();
            sb.append(String.format(
                    " %12s %12d %12s %8d  %s (%s)%n",
                    l.liveBytes() < 0 ? "n/a" : String.valueOf(l.liveBytes()),
                    s.allocations(),
                    l.type().tracked() ? String.valueOf(s.frees()) : "n/a",
                    s.leaks(),
                    s.location(),
                    l.type().type()));
            json.add(new JsonObject()
                    .field("type", "site")
                    .field("site", s.location())
                    .field("class", l.type().type())
                    .field("liveBytes", l.liveBytes())
                    .field("allocations", s.allocations())
                    .field("frees", s.frees())
                    .field("leaks", s.leaks())
                    .toString());
        }
        if (sites.size() > TOP_SITES) {
            sb.append(String.format(" (%d more sites not shown)%n", sites.size() - TOP_SITES));
        }
        return new TypeSection(sb.toString(), json);
    }

    private static void logNewLeaks(Map<String, Long> leaksLogged, TypeStats t, SiteStats s) {
        String key = t.type() + '@' + s.location();
        long before = leaksLogged.getOrDefault(key, 0L);
        if (s.leaks() > before) {
            leaksLogged.put(key, s.leaks());
            LOG.warn(
                    "slab4j leak: {} instance(s) of {} were reclaimed after GC without a free ({} in all at this site),"
                            + " allocated at {}",
                    s.leaks() - before,
                    t.type(),
                    s.leaks(),
                    s.location());
        }
    }

    @Override
    public String text() {
        return text;
    }

    @Override
    public List<String> jsonLines() {
        return json;
    }
}
