package org.slab4j.internal.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slab4j.Slabs;
import org.slab4j.Slabs.SiteStats;
import org.slab4j.Slabs.TypeStats;

/**
 * The {@code @Slab} part of the global allocator's report: per annotated type (also when merged) live objects and
 * bytes, allocations, frees and leaks; the top allocation sites by live bytes; and, as warnings, the leaks found since
 * the last logged report, by site.
 *
 * <p>A site's frees, and so its live objects, are known for {@code TRACKED} types only (a {@code SAMPLED} or
 * {@code EXPLICIT} type keeps no per-object record, so its frees are not attributed to sites): for such sites the text
 * says {@code n/a} and JSON {@code null}, and they are ranked by the bytes they allocated. A type's own frees and live
 * objects are always known.
 *
 * <p>Guarded by: the leak counts already logged belong to one source, used by one reporter (its reads are serialised by
 * the report thread, the exit hook and callers of {@code report()}: the map is synchronised).
 */
public final class TypeSection implements ReportSection {
    static final int TOP_SITES = 20;
    static final String NOT_KNOWN = "n/a";

    private final String text;
    private final List<TypeStats> types;
    private final List<SiteLine> topSites;
    private final List<String> warnings;
    private final Runnable onDelivered;

    private TypeSection(
            String text, List<TypeStats> types, List<SiteLine> topSites, List<String> warnings, Runnable onDelivered) {
        this.text = text;
        this.types = types;
        this.topSites = topSites;
        this.warnings = warnings;
        this.onDelivered = onDelivered;
    }

    /** @return a source of fresh sections that remembers which leaks its logged reports have already named */
    static Supplier<ReportSection> source() {
        Map<String, Long> leaksLogged = new HashMap<>();
        return () -> read(leaksLogged);
    }

    /** @return the section's text now, as {@link Slabs#report()} returns it: no warnings, nothing remembered */
    public static String text(List<TypeStats> types) {
        return read(types, new HashMap<>()).text();
    }

    /**
     * One site of one type.
     *
     * @param liveBytes bytes of the site's live instances, {@code null} when not known (types other than
     *     {@code TRACKED})
     * @param frees the site's frees, {@code null} when not known
     */
    record SiteLine(TypeStats type, SiteStats site, Long liveBytes, Long frees) {
        /** What sites are ranked by: live bytes, else (not known) allocated bytes. */
        long rank() {
            return liveBytes != null ? liveBytes : site.allocations() * type.objectSize();
        }
    }

    static SiteLine siteLine(TypeStats t, SiteStats s) {
        return t.tracked()
                ? new SiteLine(t, s, (s.allocations() - s.frees() - s.leaks()) * t.objectSize(), s.frees())
                : new SiteLine(t, s, null, null);
    }

    /** @return the sites of {@code types}, ranked (live bytes, else allocated bytes), first {@code limit} */
    static List<SiteLine> topSites(List<TypeStats> types, int limit, List<SiteLine> all) {
        for (TypeStats t : types) {
            for (SiteStats s : t.sites()) {
                all.add(siteLine(t, s));
            }
        }
        all.sort(Comparator.comparingLong(SiteLine::rank).reversed());
        return List.copyOf(all.subList(0, Math.min(limit, all.size())));
    }

    private static TypeSection read(Map<String, Long> leaksLogged) {
        synchronized (leaksLogged) {
            return read(Slabs.allStats(), leaksLogged);
        }
    }

    private static TypeSection read(List<TypeStats> types, Map<String, Long> leaksLogged) {
        if (types.isEmpty()) {
            return new TypeSection("", List.of(), List.of(), List.of(), () -> {});
        }
        StringBuilder sb = new StringBuilder(" @Slab types\n")
                .append(String.format(
                        " %10s %12s %12s %12s %8s  %s%n",
                        "LIVE", "LIVE BYTES", "ALLOCS", "FREES", "LEAKS", "TYPE (CACHE)"));
        for (TypeStats t : types) {
            String cache = t.cache().equals(t.sharedCache()) ? t.cache() : t.cache() + " -> " + t.sharedCache();
            sb.append(String.format(
                    " %10d %12d %12d %12d %8d  %s (%s)%n",
                    t.live(), t.live() * t.objectSize(), t.allocations(), t.frees(), t.leaks(), t.type(), cache));
        }
        List<SiteLine> all = new ArrayList<>();
        List<SiteLine> top = topSites(types, TOP_SITES, all);
        sb.append(String.format(
                " top allocation sites by live bytes (%s: known for TRACKED types only)%n %12s %12s %12s %8s  %s%n",
                NOT_KNOWN, "LIVE BYTES", "ALLOCS", "FREES", "LEAKS", "SITE (TYPE)"));
        for (SiteLine l : top) {
            SiteStats s = l.site();
            sb.append(String.format(
                    " %12s %12d %12s %8d  %s (%s)%n",
                    orNotKnown(l.liveBytes()),
                    s.allocations(),
                    orNotKnown(l.frees()),
                    s.leaks(),
                    s.location(),
                    l.type().type()));
        }
        if (all.size() > TOP_SITES) {
            sb.append(String.format(" (%d more sites not shown)%n", all.size() - TOP_SITES));
        }
        List<String> warnings = new ArrayList<>();
        Map<String, Long> seen = new HashMap<>();
        for (SiteLine l : all) {
            String key = l.type().type() + '@' + l.site().location();
            long before = leaksLogged.getOrDefault(key, 0L);
            long leaks = l.site().leaks();
            if (leaks > before) {
                seen.put(key, leaks);
                warnings.add("slab4j leak: " + (leaks - before) + " instance(s) of "
                        + l.type().type()
                        + " were reclaimed after GC without a free (" + leaks + " in all at this site), allocated at "
                        + l.site().location());
            }
        }
        Runnable onDelivered = () -> {
            synchronized (leaksLogged) {
                seen.forEach((k, v) -> leaksLogged.merge(k, v, Math::max));
            }
        };
        return new TypeSection(sb.toString(), types, top, List.copyOf(warnings), onDelivered);
    }

    private static String orNotKnown(Long n) {
        return n == null ? NOT_KNOWN : n.toString();
    }

    @Override
    public String text() {
        return text;
    }

    @Override
    public List<String> jsonLines(Function<String, JsonObject> start) {
        List<String> json = new ArrayList<>(types.size() + topSites.size());
        for (TypeStats t : types) {
            json.add(start.apply("slabType")
                    .field("class", t.type())
                    .field("cache", t.cache())
                    .field("sharedCache", t.sharedCache())
                    .field("objectSize", t.objectSize())
                    .field("tracked", t.tracked())
                    .field("live", t.live())
                    .field("liveBytes", t.live() * t.objectSize())
                    .field("allocations", t.allocations())
                    .field("frees", t.frees())
                    .field("leaks", t.leaks())
                    .toString());
        }
        for (SiteLine l : topSites) {
            json.add(start.apply("site")
                    .field("site", l.site().location())
                    .field("class", l.type().type())
                    .fieldOrNull("liveBytes", l.liveBytes())
                    .field("allocations", l.site().allocations())
                    .fieldOrNull("frees", l.frees())
                    .field("leaks", l.site().leaks())
                    .toString());
        }
        return json;
    }

    @Override
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public void delivered() {
        onDelivered.run();
    }
}
