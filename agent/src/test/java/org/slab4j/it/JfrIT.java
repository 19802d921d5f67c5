package org.slab4j.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording of a JVM with the agent, made with the agent jar's {@code slab4j.jfc} on top of the JDK's default
 * settings, as a user makes it; read with the JDK's {@code jfr summary} and {@code jfr print}.
 */
class JfrIT {
    @Test
    void theJfcRecordsCacheStatisticsAndSampledAllocationsWithStacks(@TempDir Path dir) throws Exception {
        Path jfc = dir.resolve("slab4j.jfc");
        Forked.java("-jar", Forked.agent(), "jfc", "-o", jfc.toString());
        Path recording = dir.resolve("app.jfr");
        String app = Forked.java(
                "-XX:StartFlightRecording:settings=default,settings=" + jfc + ",filename=" + recording,
                "-javaagent:" + Forked.agent() + "=report=0",
                "-cp",
                Forked.testClasses(),
                JfrApp.class.getName());
        assertTrue(app.contains("done with 2000 points"), app);

        String summary = jfr("summary", recording.toString());
        for (String event : List.of(
                "org.slab4j.CacheStatistics",
                "org.slab4j.AllocationSample",
                "org.slab4j.CacheCreate",
                "org.slab4j.SlabGrow")) {
            Matcher m =
                    Pattern.compile(" " + Pattern.quote(event) + " +(\\d+) ").matcher(summary);
            assertTrue(m.find() && Long.parseLong(m.group(1)) > 0, event + " in\n" + summary);
        }

        String statistics = jfr("print", "--events", "org.slab4j.CacheStatistics", recording.toString());
        assertTrue(statistics.contains("allocator = \"global\""), statistics);
        assertTrue(statistics.contains("cache = \"Point\""), statistics);
        assertTrue(statistics.contains("inUseObjs = 2000"), statistics);

        String samples =
                jfr("print", "--stack-depth", "64", "--events", "org.slab4j.AllocationSample", recording.toString());
        assertTrue(samples.contains("type = \"org.slab4j.it.Fixtures$Point\""), samples);
        assertTrue(samples.contains("org.slab4j.it.JfrApp.main(String[])"), samples);
    }

    /** Runs the JDK's {@code jfr} tool, next to this test's {@code java}. */
    private static String jfr(String... args) throws Exception {
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        List<String> command =
                new ArrayList<>(List.of(java.resolveSibling("jfr").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor() == 0, out);
        return out;
    }
}
