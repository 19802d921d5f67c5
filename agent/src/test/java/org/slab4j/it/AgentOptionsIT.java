package org.slab4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Starts {@link TwiceApp} with bad agent options: each is named in one WARN line and dropped, and the agent runs with
 * the rest.
 */
class AgentOptionsIT {
    private static final String APP_OUTPUT = "allocations=10 frees=10 cache allocations=10";

    @Test
    void aNegativeReportIntervalIsWarnedAboutAndPrintsNoReport() throws Exception {
        String output = run("report=-1");
        assertTrue(output.contains(APP_OUTPUT), output);
        assertTrue(
                output.contains("[slab4j-agent] WARN report '-1' is not like 500ms, 10s, 5m, 0 or exit; no report"),
                output);
        assertFalse(output.contains("[slab4j-agent] report"), output);
        assertTrue(output.lines().count() < 20, output);
    }

    @Test
    void aReportIntervalTooLongForADurationIsWarnedAboutAndTheAgentRuns() throws Exception {
        String output = run("report=999999999999999999m");
        assertTrue(output.contains(APP_OUTPUT), output);
        assertTrue(output.contains("[slab4j-agent] WARN report '999999999999999999m' is not like"), output);
        assertFalse(output.contains("not started"), output);
        assertTrue(output.lines().count() < 20, output);
    }

    @Test
    void anOutOfRangeSlab4jPropertyFailsEveryTypeWithTheReasonNotAMissingClass() throws Exception {
        String output = Forked.java(
                "-javaagent:" + Forked.agent(),
                "-Dslab4j.nodes=-1",
                "-cp",
                Forked.testClasses(),
                OptionsApp.class.getName());
        String reason = ": it cannot be set up: SlabAllocator.global() failed: nodes must be between 1 and 64, not -1";
        assertTrue(
                output.contains("Point error: @Slab class " + Fixtures.Point.class.getName() + reason + "\n"), output);
        assertTrue(
                output.contains("Vector error: @Slab class " + Fixtures.Vector.class.getName() + reason + "\n"),
                output);
        assertFalse(output.contains("NoClassDefFoundError"), output);
        for (Class<?> type : List.of(Fixtures.Point.class, Fixtures.Vector.class)) {
            String logged = "SEVERE: @Slab class " + type.getName() + reason;
            assertEquals(
                    List.of(logged),
                    output.lines()
                            .filter(l -> l.startsWith("SEVERE: ") && l.contains(type.getName()))
                            .toList(),
                    output);
        }
    }

    @Test
    void anOutOfRangeNodesOptionIsWarnedAboutAtStartupAndSlabClassesWork() throws Exception {
        String output = Forked.java(
                "-javaagent:" + Forked.agent() + "=nodes=-1", "-cp", Forked.testClasses(), OptionsApp.class.getName());
        assertTrue(
                output.contains("[slab4j-agent] WARN allocator option nodes=-1 ignored: nodes must be between 1 and 64,"
                        + " not -1; -Dslab4j.nodes or the allocator's default applies"),
                output);
        assertTrue(output.contains("Point segment 48\nVector segment 48\n"), output);
    }

    private static String run(String options) throws Exception {
        return Forked.java(
                "-javaagent:" + Forked.agent() + "=" + options, "-cp", Forked.testClasses(), TwiceApp.class.getName());
    }
}
