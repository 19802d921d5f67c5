package org.slab4j.internal.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slab4j.internal.slab.CacheReading;
import org.slab4j.internal.slab.Names;
import org.slab4j.internal.slab.SlabReadings;
import org.slab4j.internal.slab.SlabSystem;

/**
 * The reports of one allocator: reads an {@link AllocatorReport}, renders it (the one text layout, {@link #text}, and
 * the JSON lines, {@link JsonLines}) and hands it to {@link ReportOutput}. Also owns the allocator's periodic report,
 * its place in the exit report and its MBeans, and drops them all on {@link #close()}.
 */
public final class Reporter {
    /** How often the cache MBeans are brought in step with the caches, besides every report. */
    static final Duration MBEAN_REFRESH = Duration.ofSeconds(1);

    private final String allocator;
    private final SlabSystem sys;
    private final ReportOptions options;
    private final List<Supplier<ReportSection>> sectionSources = new CopyOnWriteArrayList<>();
    private volatile SlabMBeans mbeans;
    private volatile ReportScheduler.Periodic periodic;
    private volatile ReportScheduler.Periodic mbeanRefresh;

    private Reporter(String allocator, SlabSystem sys, ReportOptions options) {
        this.allocator = allocator;
        this.sys = sys;
        this.options = options;
    }

    /**
     * Sets up the reports of an allocator.
     *
     * @param allocator the allocator's name
     * @param global whether this is the global allocator (its reports and MBeans carry the {@code @Slab} types)
     * @throws IllegalArgumentException when the name is empty or holds a line break, control or format characters, or
     *     the interval is negative or under 1 ms
     * @throws IllegalStateException naming the allocator when its MBeans cannot be registered
     */
    public static Reporter start(String allocator, boolean global, SlabSystem sys, ReportOptions options) {
        Names.checkAllocator(allocator);
        Duration interval = options.interval();
        if (interval == null || interval.isNegative() || (!interval.isZero() && interval.toMillis() < 1)) {
            throw new IllegalArgumentException("allocator '" + allocator
                    + "': reportInterval must be zero (off) or at least 1 ms, not " + interval);
        }
        Reporter r = new Reporter(allocator, sys, options);
        if (global) { // @Slab instances live in the global allocator: its reports carry their section
            r.addSectionSource(TypeSection.source());
        }
        if (options.jmx()) {
            r.mbeans = SlabMBeans.register(r, global, sys);
            r.mbeanRefresh = ReportScheduler.every(r, MBEAN_REFRESH, Reporter::syncMBeans, "MBean refresh");
        }
        JfrStatistics.add(r);
        if (!interval.isZero()) {
            r.periodic = ReportScheduler.every(r, interval, Reporter::report, "report");
        }
        if (options.atExit()) {
            ShutdownReport.add(r);
        }
        return r;
    }

    /** @return the allocator's name */
    public String allocator() {
        return allocator;
    }

    /** @return whether the allocator is closed */
    boolean isClosed() {
        return sys.isClosed();
    }

    /**
     * Adds a source of a report section (per type, per allocation site, leaks): asked for a fresh section by every
     * report, in the order added.
     */
    public void addSectionSource(Supplier<ReportSection> source) {
        sectionSources.add(source);
    }

    /**
     * Reads the allocator's numbers now, and brings its MBeans in step with its caches.
     *
     * @throws IllegalStateException when the allocator is closed
     */
    public AllocatorReport read() {
        List<ReportSection> sections = new ArrayList<>(sectionSources.size());
        for (Supplier<ReportSection> s : sectionSources) {
            sections.add(s.get());
        }
        return read(sections);
    }

    /** As {@link #read()}, without the sections: the numbers JMX attributes need. */
    AllocatorReport readCaches() {
        return read(List.of());
    }

    private AllocatorReport read(List<ReportSection> sections) {
        AllocatorReport r = AllocatorReport.read(allocator, sys, sections);
        syncMBeans();
        return r;
    }

    /** Registers MBeans for new caches and types and unregisters those of destroyed ones, when JMX is on. */
    private void syncMBeans() {
        SlabMBeans m = mbeans;
        if (m != null) {
            m.sync();
        }
    }

    /**
     * Reads a report, logs it and returns its text.
     *
     * @throws IllegalStateException when the allocator is closed
     */
    public String report() {
        AllocatorReport r = read();
        ReportOutput.Lines lines = lines(r);
        ReportOutput.log(lines);
        delivered(r);
        return lines.text();
    }

    /** Reads a report and logs it as the exit report: never lost, see {@link ReportOutput}. */
    void reportAtExit() {
        AllocatorReport r = read();
        ReportOutput.atExit(lines(r));
        delivered(r);
    }

    private ReportOutput.Lines lines(AllocatorReport r) {
        List<String> warnings = new ArrayList<>();
        for (ReportSection s : r.sections()) {
            warnings.addAll(s.warnings());
        }
        return new ReportOutput.Lines(warnings, text(r), options.json() ? JsonLines.format(r) : List.of());
    }

    private static void delivered(AllocatorReport r) {
        for (ReportSection s : r.sections()) {
            s.delivered();
        }
    }

    /**
     * The text report, the one layout that logs, {@code SlabAllocator.report()}, the exit report and JMX print.
     *
     * @return a title line, the slabtop summary, the caches that hold slabs as slabinfo 2.1 rows, then the sections
     */
    public static String text(AllocatorReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("slab4j report of allocator '")
                .append(r.allocator())
                .append("' at ")
                .append(r.time())
                .append(", ")
                .append(r.nodes())
                .append(r.nodes() == 1 ? " node\n" : " nodes\n");
        sb.append(Slabtop.summary(r)).append('\n');
        List<CacheReading> shown = r.nonEmptyCaches();
        sb.append(SlabReadings.slabinfo(shown, r.statisticsForm()));
        int empty = r.caches().size() - shown.size();
        if (empty > 0) {
            sb.append(" (")
                    .append(empty)
                    .append(empty == 1 ? " cache" : " caches")
                    .append(" without slabs not shown)\n");
        }
        for (ReportSection s : r.sections()) {
            sb.append('\n').append(s.text());
        }
        return sb.toString();
    }

    /** Stops the periodic report, leaves the exit report and unregisters the MBeans. Idempotent. */
    public void close() {
        for (ReportScheduler.Periodic p : new ReportScheduler.Periodic[] {periodic, mbeanRefresh}) {
            if (p != null) {
                p.cancel();
            }
        }
        ShutdownReport.remove(this);
        JfrStatistics.remove(this);
        SlabMBeans m = mbeans;
        if (m != null) {
            m.unregisterAll();
        }
    }
}
