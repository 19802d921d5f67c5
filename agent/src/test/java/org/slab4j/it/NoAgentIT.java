package org.slab4j.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Starts {@link NoAgentApp} without the agent: {@code Slabs} says that the class was not instrumented, and how to fix
 * it.
 */
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

    /**
     * The counters and the cache of the class are refused too: answering set up its type, its cache and the global
     * allocator, whose exit report then showed a type with nothing live, as if the test JVM ran the agent.
     */
    @Test
    void statsAndCacheOfAnUninstrumentedClassSayHowToStartTheAgentAndStartNoAllocator() throws Exception {
        String output = Forked.java("-cp", System.getProperty("java.class.path"), NoAgentApp.class.getName());
        String expected = "java.lang.IllegalArgumentException: " + Hierarchy.Root.class.getName()
                + " was not instrumented by the slab4j agent: start the JVM with -javaagent:";
        for (String call : new String[] {"stats: ", "cacheOf: "}) {
            assertTrue(output.contains(call + expected), output);
        }
        assertFalse(output.contains("slab4j report"), output);
    }
}
