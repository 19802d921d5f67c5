package org.slab4j.internal.report;

import java.util.List;
import java.util.function.Function;

/**
 * A part of a report beyond the per-cache numbers, such as per-type or per-allocation-site numbers or leaks. Each
 * report prints its sections' text after the caches, logs their warnings at WARN before the text, and their JSON lines
 * after the cache lines.
 */
public interface ReportSection {
    /** @return the section's text: whole lines, each ending with {@code '\n'} */
    String text();

    /**
     * @param start gives a JSON object that already holds the fields every line carries ({@code schema}, {@code type}
     *     set to the argument, {@code time}, {@code allocator}); the section adds its own
     * @return the section's JSON lines: each one JSON object, with no line break
     */
    List<String> jsonLines(Function<String, JsonObject> start);

    /** @return lines to log at WARN (leaks found since the last logged report); none by default */
    default List<String> warnings() {
        return List.of();
    }

    /** Called once the report holding this section has been logged, so that its warnings are not repeated. */
    default void delivered() {}
}
