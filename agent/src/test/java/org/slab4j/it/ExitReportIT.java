package org.slab4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exit report under the agent with no options: printed however the application ends, also when it or the JVM has
 * shut java.util.logging down first, with the summary, the caches as slabinfo rows, the {@code @Slab} types and their
 * sites, and leaks at WARN; {@code report=off} turns it off.
 */
class ExitReportIT {
    private static String run(Map<String, String> env, String agentOptions, String how) throws Exception {
        return Forked.javaWithEnvironment(
                env,
                "-javaagent:" + Forked.agent() + agentOptions,
                "-cp",
                Forked.testClasses(),
                ExitApp.class.getName(),
                how);
    }

    @ParameterizedTest
    @ValueSource(strings = {"return", "exit", "reset", "hook"})
    void theExitReportIsNeverLost(String how) throws Exception {
        String output = run(Map.of(), "", how);
        assertTrue(output.contains("app done, keeping 3"), output);
        int at = output.indexOf("slab4j report of allocator 'global' at ");
        assertTrue(at >= 0, output);
        String report = output.substring(at);
        assertTrue(report.contains(" Active / Total Objects (% used)    : "), report);
        assertTrue(report.contains("slabinfo - version: 2.1\n# name "), report);
        assertTrue(report.lines().anyMatch(l -> l.startsWith("it-order ")), report);
        assertTrue(report.lines().noneMatch(l -> l.startsWith("kmalloc-4M ")), "empty caches are left out: " + report);
        String orderRow = report.lines()
                .filter(l -> l.endsWith(Order.class.getName() + " (it-order)"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(report));
        assertEquals(
                List.of("3", "192", "5", "2", "0"),
                List.of(orderRow.trim().split("\\s+")).subList(0, 5),
                orderRow);
        String laidSite = report.lines()
                .filter(l -> l.contains("ExitApp.main:") && l.endsWith("(" + Fixtures.Laid.class.getName() + ")"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(report));
        assertEquals(
                List.of("n/a", "1", "n/a", "0"),
                List.of(laidSite.trim().split("\\s+")).subList(0, 4),
                laidSite);
        assertFalse(output.contains("Exception"), output);
    }

    @Test
    void leaksAreWarnedAboutAtExit() throws Exception {
        String output = run(Map.of(), "", "leak");
        assertTrue(
                output.contains("slab4j leak: 1 instance(s) of " + Order.class.getName()
                        + " were reclaimed after GC without a free (1 in all at this site), allocated at "
                        + ExitApp.class.getName() + ".main:"),
                output);
        assertTrue(output.contains("WARN"), output);
    }

    @Test
    void reportOffTurnsItOff() throws Exception {
        String output = run(Map.of(), "=report=off", "return");
        assertTrue(output.contains("app done"), output);
        assertFalse(output.contains("slab4j report"), output);
        assertFalse(output.contains("jul-to-slf4j"), output);
    }

    @Test
    void theEnvironmentCanTurnItOffAndItsUnknownNamesAreNamed() throws Exception {
        String output = run(Map.of("SLAB4J_REPORT", "off", "SLAB4J_COLOUR", "blue"), "", "return");
        assertFalse(output.contains("slab4j report"), output);
        assertTrue(
                output.contains("[slab4j-agent] WARN slab4j: unknown option(s) [SLAB4J_COLOUR (environment variable)]"
                        + " ignored; known: ["),
                output);
    }

    /**
     * Without the bridge the hint comes at most once (at exit it is left out when java.util.logging has already been
     * reset: whether a bridge was installed cannot be told then; {@link ReportsIT} sees it in a running JVM).
     */
    @Test
    void theJulBridgeHintComesOnlyWithoutTheBridge() throws Exception {
        String output = run(Map.of(), "", "return");
        assertTrue(
                output.lines().filter(l -> l.contains("install jul-to-slf4j")).count() <= 1, output);
        String bridged = run(Map.of(), "", "bridge");
        assertFalse(bridged.contains("install jul-to-slf4j"), bridged);
        // through the bridge, or (once java.util.logging's own shutdown hook has removed it) straight to stderr
        assertTrue(bridged.contains("slab4j report of allocator 'global'"), bridged);
    }
}
