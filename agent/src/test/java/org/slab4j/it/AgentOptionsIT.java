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
    void aMalformedReportIsWarnedAboutAndTheDefaultApplies() throws Exception {
        String output = runWarnedOnce(
                "report=-1",
                "[slab4j-agent] WARN slab4j: agent argument report=-1 ignored: report must be off, exit, or a duration"
                        + " such as 500ms, 10s, 5m or 1h, not '-1'; the next source or the default");
        assertTrue(output.contains("slab4j report of allocator 'global'"), "the default: a report at exit\n" + output);
    }

    @Test
    void anIncludePatternWithAWildcardInsideANameIsWarnedAboutAndTheDefaultApplies() throws Exception {
        // Before: no warning; the pattern matched no class, so Order was not instrumented and its constructor threw a
        // NullPointerException on its segment field
        runWarnedOnce(
                "include=org.slab4j.it.Ord*",
                "[slab4j-agent] WARN slab4j: agent argument include=org.slab4j.it.Ord* ignored: include must be class"
                        + " names (a.b.C) or packages (a.b.*), separated by ':'; a '*' may only end a package, as in"
                        + " a.b.* (in 'org.slab4j.it.Ord*'), not 'org.slab4j.it.Ord*'; the next source or the default"
                        + " (all classes) applies");
    }

    @Test
    void aCpuCountPastTheKernelsLargestIsWarnedAboutAndTheDefaultApplies() throws Exception {
        // Before: accepted, so SlabAllocator.global() ran out of heap making 2 x cpus stripes, every @Slab class failed
        // with an ExceptionInInitializerError and Slabs.stats with a NoClassDefFoundError
        runWarnedOnce(
                "cpus=100000000",
                "[slab4j-agent] WARN slab4j: agent argument cpus=100000000 ignored: cpus must be a whole number from 1"
                        + " to 8192, not '100000000'; the next source or the default (available processors) applies");
    }

    /**
     * @return the output of the app run with agent argument {@code args}, which must have run as with the default and
     *     given {@code warning} as its one WARN
     */
    private static String runWarnedOnce(String args, String warning) throws Exception {
        String output = run(args);
        assertTrue(output.contains(APP_OUTPUT), output);
        assertTrue(output.contains(warning), output);
        assertEquals(1, output.lines().filter(l -> l.contains("WARN")).count(), output);
        return output;
    }

    @Test
    void aReportIntervalInTheOneDurationSyntaxWorksAsAProperty() throws Exception {
        String output = Forked.java(
                "-javaagent:" + Forked.agent(),
                "-Dslab4j.reportInterval=5s",
                "-Dslab4j.sites=yes",
                "-cp",
                Forked.testClasses(),
                OptionsApp.class.getName());
        assertTrue(output.contains("Point segment 48\nVector segment 48\n"), output);
        assertTrue(
                output.contains("[slab4j-agent] WARN slab4j: system property slab4j.sites=yes ignored: sites must be"
                        + " true or false, not 'yes'; the next source or the default (true) applies"),
                output);
    }

    @Test
    void anOutOfRangeSlab4jPropertyFailsEveryTypeWithTheReasonNotAMissingClass() throws Exception {
        String output = Forked.java(
                "-javaagent:" + Forked.agent(),
                "-Dslab4j.memoryLimit=1",
                "-cp",
                Forked.testClasses(),
                OptionsApp.class.getName());
        String reason = ": it cannot be set up: SlabAllocator.global() failed: memoryLimit must be at least one chunk"
                + " (4194304 bytes with 4096-byte pages), not 1";
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
                output.contains(
                        "[slab4j-agent] WARN slab4j: agent argument nodes=-1 ignored: nodes must be a whole number"
                                + " from 1 to 64, not '-1'; the next source or the default (the machine's NUMA nodes) applies"),
                output);
        assertTrue(output.contains("Point segment 48\nVector segment 48\n"), output);
    }

    private static String run(String options) throws Exception {
        return Forked.java(
                "-javaagent:" + Forked.agent() + "=" + options, "-cp", Forked.testClasses(), TwiceApp.class.getName());
    }
}
