package org.slab4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Starts {@link TwiceApp} with the agent given twice (as happens when {@code JAVA_TOOL_OPTIONS} and the command line
 * both name it): the second copy warns and stays off, so each instance takes one segment, not two.
 */
class AgentTwiceIT {
    @Test
    void aSecondAgentStaysOffAndEachInstanceTakesOneSegment() throws Exception {
        String agent = System.getProperty("slab4j.it.agent");
        String classPath = Path.of(TwiceApp.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString();
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process process = new ProcessBuilder(List.of(
                        java,
                        "-javaagent:" + agent + "=report=0",
                        "-javaagent:" + agent + "=sites=false",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        classPath,
                        TwiceApp.class.getName()))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("allocations=10 frees=10 cache allocations=10"), output);
        assertTrue(output.contains("started more than once"), output);
        assertTrue(output.contains("'sites=false') stays off"), output);
        assertTrue(output.contains("('report=0') apply"), output);
    }
}
