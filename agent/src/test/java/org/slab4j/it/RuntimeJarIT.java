package org.slab4j.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime jar that the agent extracts for the bootstrap class path: JVMs started with their own
 * {@code java.io.tmpdir}, killed with SIGKILL or ending normally, leave one file there, the one the next JVM reuses.
 */
class RuntimeJarIT {
    @TempDir
    Path tmp;

    @Test
    void jvmsKilledWithSigkillLeaveOneFileThatTheNextReuses() throws Exception {
        killWhenReady();
        List<Path> files = files();
        assertEquals(1, files.size(), files::toString);
        killWhenReady();
        assertEquals(files, files());
        assertTrue(run().contains("allocations=10 frees=10"));
        assertEquals(files, files());
    }

    @Test
    void aDamagedFileIsReplacedNotUsed() throws Exception {
        run();
        Path cached = files().getFirst();
        byte[] good = Files.readAllBytes(cached);
        byte[] bad = good.clone();
        for (int i = 0; i < bad.length; i += 4096) {
            bad[i] ^= 1;
        }
        Files.write(cached, bad);
        String output = run();
        assertTrue(output.contains("allocations=10 frees=10"), output);
        assertArrayEquals(good, Files.readAllBytes(cached));
        assertEquals(List.of(cached), files());
    }

    /** Runs {@link TwiceApp}: ten orders made and freed. */
    private String run() throws Exception {
        return Forked.java(
                "-javaagent:" + Forked.agent(),
                "-Djava.io.tmpdir=" + tmp,
                "-cp",
                Forked.testClasses(),
                TwiceApp.class.getName());
    }

    private void killWhenReady() throws Exception {
        Process process = Forked.start(
                "-javaagent:" + Forked.agent(),
                "-Djava.io.tmpdir=" + tmp,
                "-cp",
                Forked.testClasses(),
                WaitingApp.class.getName());
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            StringBuilder seen = new StringBuilder();
            for (String line = out.readLine(); line != null && !line.startsWith("ready"); line = out.readLine()) {
                seen.append(line).append('\n');
            }
            assertTrue(process.isAlive(), seen::toString);
            process.destroyForcibly(); // SIGKILL: no shutdown hook, no deleteOnExit
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            assertEquals(137, process.exitValue());
        }
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.sorted().toList();
        }
    }
}
