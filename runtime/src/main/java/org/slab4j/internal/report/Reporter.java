package org.slab4j.internal.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slab4j.internal.slab.SlabSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reports of one allocator: reads an {@link AllocatorReport}, formats it, and logs it: the text on logger
 * {@code org.slab4j.report} and the JSON lines on {@code org.slab4j.report.json}, both at INFO. Also owns the
 * allocator's periodic report, its place in the shutdown report and its MBeans, and drops them all on
 * {@link #close()}.
 */
public final class Reporter {
    /** How many caches the text report lists: the largest by slab memory. */
    public static final int TOP_CACHES = 20;

    /** How often the cache MBeans are brought in step with the caches, besides every report. */
    static final Duration MBEAN_REFRESH = Duration.ofSeconds(1);

    private static final Logger TEXT = LoggerFactory.getLogger("org.slab4j.report");
    private static final Logger JSON = LoggerFactory.getLogger("org.slab4j.report.json");
    private static volatile boolean explained;

    private final String allocator;
    private final SlabSystem sys;
    private final List<Supplier<ReportSection>> sectionSources = new CopyOnWriteArrayList<>();
    private volatile SlabMBeans mbeans;
    private volatile ReportScheduler.Periodic periodic;
    private volatile ReportScheduler.Periodic mbeanRefresh;

    private Reporter(String allocator, SlabSystem sys) {
        this.allocator = allocator;
        this.sys = sys;
    }

    /**
     * Sets up the reports of an allocator.
     *
     * @param allocator the allocator's name
     * @param global whether this is the global allocator (its cache beans carry no {@code allocator} key)
     * @param interval how often to log a report; {@link Duration#ZERO} for never. A positive interval also logs a
     *     report at JVM shutdown.
     * @param jmx whether to register the allocator's MBeans
     * @throws IllegalArgumentException when the name is empty, or the interval negative or under 1 ms
     * @throws IllegalStateException naming the allocator when its MBeans cannot be registered
     */
    public static Reporter start(String allocator, boolean global, SlabSystem sys, Duration interval, boolean jmx) {
        if (allocator == null || allocator.isEmpty()) {
            throw new IllegalArgumentException("an allocator needs a non-empty name");
        }
        if (interval == null || interval.isNegative() || (!interval.isZero() && interval.toMillis() < 1)) {
            throw new IllegalArgumentException("allocator '" + allocator
                    + "': reportInterval must be zero (off) or at least 1 ms, not " + interval);
        }
        Reporter r = new Reporter(allocator, sys);
        if (global) { // @Slab instances live in the global allocator: its reports carry their section
            r.addSectionSource(TypeSection.source());
        }
        if (jmx) {
            r.mbeans = SlabMBeans.register(r, global, sys);
            r.mbeanRefresh = ReportScheduler.every(r, MBEAN_REFRESH, Reporter::syncMBeans, "MBean refresh");
        }
        JfrStatistics.add(r);
        if (!interval.isZero()) {
            r.periodic = ReportScheduler.every(r, interval, Reporter::report, "report");
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
     * Reads the allocator's numbers now, and brings its cache MBeans in step with its caches.
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

    /** Registers MBeans for new caches and unregisters those of destroyed ones, when JMX is on. */
    private void syncMBeans() {
        SlabMBeans m = mbeans;
        if (m != null) {
            m.sync();
        }
    }

    /**
     * Reads a report, logs it (text and JSON lines) and returns its text.
     *
     * @throws IllegalStateException when the allocator is closed
     */
    public String report() {
        AllocatorReport r = read();
        String text = text(r, TOP_CACHES);
        explainRoutingOnce();
        TEXT.info("{}", text);
        if (JSON.isInfoEnabled()) {
            for (String line : JsonLines.format(r)) {
                JSON.info("{}", line);
            }
        }
        return text;
    }

    /**
     * Under the agent the runtime's SLF4J is its own bundled copy bound to java.util.logging, whatever the application
     * uses: say once, with the first report, how to bring the reports into the application's logging.
     */
    private static void explainRoutingOnce() {
        if (!explained && LoggerFactory.getILoggerFactory().getClass().getName().contains("JDK14")) {
            explained = true;
            TEXT.info("slab4j reports are logged through java.util.logging (on stderr by default); to route them into"
                    + " your logging, install jul-to-slf4j's SLF4JBridgeHandler, or configure the JUL loggers"
                    + " org.slab4j.report and org.slab4j.report.json");
        }
    }

    /**
     * @param top how many caches to list
     * @return the text report: a title line, the slabtop summary, then the sections
     */
    public static String text(AllocatorReport r, int top) {
        StringBuilder sb = new StringBuilder();
        sb.append("slab4j report of allocator '")
                .append(r.allocator())
                .append("' at ")
                .append(r.time())
                .append(", ")
                .append(r.nodes())
                .append(r.nodes() == 1 ? " node\n" : " nodes\n");
        sb.append(Slabtop.format(r, top));
        for (ReportSection s : r.sections()) {
            sb.append('\n').append(s.text());
        }
        return sb.toString();
    }

    /** Stops the periodic report, leaves the shutdown report and unregisters the MBeans. Idempotent. */
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
