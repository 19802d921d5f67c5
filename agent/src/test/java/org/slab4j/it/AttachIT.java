package org.slab4j.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Attaches the agent to a running JVM ({@code Agent-Class}): classes loaded afterwards are instrumented, a
 * {@code @Slab} class loaded before is reported, and the {@code report} option prints the type report.
 */
class AttachIT {
    @Test
    void attachingInstrumentsClassesLoadedAfterwards() throws Exception {
        String output = Forked.java(
                "-Djdk.attach.allowAttachSelf=true",
                "-cp",
                Forked.testClasses(),
                AttachApp.class.getName(),
                Forked.agent());
        assertTrue(output.contains("before attach: segment null"), output);
        assertTrue(
                output.contains("[slab4j-agent] WARN org.slab4j.it.Fixtures$Point was loaded before the agent"
                        + " attached and is not instrumentable"),
                output);
        assertTrue(output.contains("after attach: segment of 48 bytes"), output);
        assertTrue(output.contains("slab4j report of allocator 'global'"), output);
        assertTrue(output.contains("org.slab4j.it.Fixtures$Vector"), output);
    }
}
