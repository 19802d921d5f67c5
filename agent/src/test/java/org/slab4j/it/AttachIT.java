package org.slab4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Attaches the agent to a running JVM ({@code Agent-Class}): classes loaded afterwards are instrumented, a
 * {@code @Slab} class loaded before is reported, and the {@code report} option prints the type report.
 */
class AttachIT {
    @Test
    void attachingInstrumentsClassesLoadedAfterwards() throws Exception {
        String classes = Path.of(AttachApp.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString();
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process process = new ProcessBuilder(List.of(
                        java,
                        "-Djdk.attach.allowAttachSelf=true",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        classes,
                        AttachApp.class.getName(),
                        System.getProperty("slab4j.it.agent")))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("before attach: segment null"), output);
        assertTrue(
                output.contains("[slab4j-agent] WARN org.slab4j.it.Fixtures$Point was loaded before the agent"
                        + " attached and is not instrumentable"),
                output);
        assertTrue(output.contains("after attach: segment of 48 bytes"), output);
        assertTrue(output.contains("[slab4j-agent] report"), output);
        assertTrue(output.contains("org.slab4j.it.Fixtures$Vector"), output);
    }
}
