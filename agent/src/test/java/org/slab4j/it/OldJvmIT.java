package org.slab4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The agent jar on a JVM older than the Java 22 it needs, as when {@code JAVA_TOOL_OPTIONS} adds it to every JVM of a
 * host: the application starts without the agent, told why, instead of the JVM aborting ("processing of -javaagent
 * failed"); the jar's commands say what they need and exit with status 1. Runs the first JDK under
 * {@code /usr/lib/jvm} older than 22 (this project's machines have Debian's JDK 17 there).
 */
class OldJvmIT {
    @Test
    void anOlderJvmRunsWithoutTheAgentAndSaysWhy() throws Exception {
        Path java = olderJava();
        String output = run(0, java.toString(), "-javaagent:" + Forked.agent() + "=report=off", "-version");
        assertTrue(output.contains("[slab4j-agent] ERROR slab4j needs Java 22 or newer"), output);
        assertTrue(output.contains("the application runs without the agent"), output);
        assertTrue(output.contains("version \""), output); // -version ran: the JVM did not abort
    }

    @Test
    void theJarsCommandsOnAnOlderJvmSayWhatTheyNeed() throws Exception {
        String output = run(1, olderJava().toString(), "-jar", Forked.agent(), "slabtop", "-o");
        assertTrue(output.contains("slab4j needs Java 22 or newer"), output);
    }

    private static String run(int status, String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), output);
        assertEquals(status, process.exitValue(), output);
        return output;
    }

    /** @return the {@code java} of a JDK older than 22 under {@code /usr/lib/jvm} */
    private static Path olderJava() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        Optional<Path> found = Optional.empty();
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> homes = Files.list(jvms)) {
                found = homes.sorted()
                        .filter(home -> Files.isExecutable(home.resolve("bin/java")))
                        .filter(home -> feature(home) < 22)
                        .map(home -> home.resolve("bin/java"))
                        .findFirst();
            }
        }
        assumeTrue(found.isPresent(), "no JDK older than 22 under /usr/lib/jvm");
        return found.get();
    }

    /** @return the feature release of the JDK at {@code home}, from its {@code release} file, or {@link Integer#MAX_VALUE} if unknown */
    private static int feature(Path home) {
        try {
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    List<String> parts = List.of(version.split("[.+-]"));
                    return Integer.parseInt(parts.get(0).equals("1") ? parts.get(1) : parts.get(0));
                }
            }
        } catch (IOException | RuntimeException e) {
            // no release file, or one this cannot read: not a JDK to use here
        }
        return Integer.MAX_VALUE;
    }
}
