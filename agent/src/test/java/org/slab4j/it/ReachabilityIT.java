package org.slab4j.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A watched instance stays reachable while its own methods, and the agent's clone hook, use its segment: compiled
 * code holds {@code this} dead after its last use, so without the agent's reachability fences the reclaimer freed
 * segments under running code ({@link ReachabilityApp}).
 */
class ReachabilityIT {
    @Test
    void aWatchedInstanceIsNotReclaimedWhileItsOwnMethodUsesItsSegment() throws Exception {
        String output = Forked.java(
                "-XX:CompileCommand=quiet",
                "-XX:CompileCommand=dontinline,org.slab4j.it.ReachabilityApp::collect",
                "-Xmx64m",
                "-javaagent:" + Forked.agent() + "=report=0",
                "-cp",
                Forked.testClasses(),
                ReachabilityApp.class.getName(),
                "method");
        assertTrue(output.contains("method: segment changed under a running method 0 of 5 times"), output);
    }

    @Test
    void theCloneHookKeepsTheOriginalUntilItsBytesAreCopied() throws Exception {
        String output = Forked.java(
                "-Xmx64m",
                "-Xmn2m",
                "-javaagent:" + Forked.agent() + "=report=0",
                "-cp",
                Forked.testClasses(),
                ReachabilityApp.class.getName(),
                "clone",
                "2000");
        assertTrue(output.matches("(?s).*clone: 0 wrong copies of \\d+.*"), output);
    }
}
