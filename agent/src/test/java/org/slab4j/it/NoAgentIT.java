package org.slab4j.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Starts {@link NoAgentApp} without the agent: {@code Slabs} says that the class was not instrumented, and how to fix it. */
class NoAgentIT {
    @Test
    void segmentOfAndFreeOfAnUninstrumentedInstanceSayHowToStartTheAgent() throws Exception {
        String output = Forked.java("-cp", System.getProperty("java.class.path"), NoAgentApp.class.getName());
        String expected = "java.lang.IllegalArgumentException: " + Hierarchy.Root.class.getName()
                + " was not instrumented by the slab4j agent: start the JVM with -javaagent:";
        for (String call : new String[] {"segmentOf: ", "free: "}) {
            assertTrue(output.contains(call + expected), output);
        }
    }
}
