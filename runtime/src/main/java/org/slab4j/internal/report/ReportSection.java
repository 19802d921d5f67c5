package org.slab4j.internal.report;

import java.util.List;

/**
 * A part of a report beyond the per-cache numbers, such as per-type or per-allocation-site numbers or leaks (from the
 * agent). Each report prints its sections' text after the cache summary and logs their JSON lines after the cache
 * lines.
 */
public interface ReportSection {
    /** @return the section's text: whole lines, each ending with {@code '\n'} */
    String text();

    /** @return the section's JSON lines: each one JSON object, with no line break */
    List<String> jsonLines();
}
