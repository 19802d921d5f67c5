package org.slab4j.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Starts {@link TwiceApp} with the agent given twice (as happens when {@code JAVA_TOOL_OPTIONS} and the command line
 * both name it): the second copy warns and stays off, so each instance takes one segment, not two.
 */
class AgentTwiceIT {
    @Test
    void aSecondAgentStaysOffAndEachInstanceTakesOneSegment() throws Exception {
        String output = Forked.java(
                "-javaagent:" + Forked.agent() + "=report=0",
                "-javaagent:" + Forked.agent() + "=sites=false",
                "-cp",
                Forked.testClasses(),
                TwiceApp.class.getName());
        assertTrue(output.contains("allocations=10 frees=10 cache allocations=10"), output);
        assertTrue(output.contains("started more than once"), output);
        assertTrue(output.contains("'sites=false') stays off"), output);
        assertTrue(output.contains("('report=0') apply"), output);
    }
}
