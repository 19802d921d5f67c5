package org.slab4j.internal.report;

import java.time.Duration;

/**
 * What an allocator reports, and where.
 *
 * @param interval how often a report is logged; {@link Duration#ZERO} for never
 * @param atExit whether one report is logged when the JVM exits
 * @param json whether logged reports also go out as JSON lines
 * @param jmx whether the allocator's MBeans are registered
 */
public record ReportOptions(Duration interval, boolean atExit, boolean json, boolean jmx) {
    /** No periodic report, none at exit, no JSON, no MBeans: reports only when asked for. */
    public static final ReportOptions ON_DEMAND = new ReportOptions(Duration.ZERO, false, false, false);
}
