package org.slab4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs an application in a JVM of its own, as the tests that need their own command line do. */
final class Forked {
    private Forked() {}

    /** @return the agent jar under test */
    static String agent() {
        return System.getProperty("slab4j.it.agent");
    }

    /** @return the directory of the test classes, for a class path */
    static String testClasses() throws URISyntaxException {
        return Path.of(Forked.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString();
    }

    /**
     * Runs this test's {@code java} with C1 only (these applications are short) and {@code args}, and checks that it
     * ends within a minute with exit code 0.
     *
     * @return its standard output and error
     */
    static String java(String... args) throws Exception {
        return javaExiting(0, args);
    }

    /** As {@link #java}, for a run that ends with exit code {@code status}. */
    static String javaExiting(int status, String... args) throws Exception {
        return finish(start(args), status);
    }

    /** As {@link #java}, with {@code environment} added to this JVM's environment variables. */
    static String javaWithEnvironment(Map<String, String> environment, String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command(args)).redirectErrorStream(true);
        builder.environment().putAll(environment);
        return finish(builder.start(), 0);
    }

    private static String finish(Process process, int status) throws Exception {
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), output);
        assertEquals(status, process.exitValue(), output);
        return output;
    }

    /** @return the command line of {@link #java}: this test's {@code java}, C1 only, then {@code args} */
    static List<String> command(String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(List.of(args));
        return command;
    }

    /** Starts the JVM of {@link #java} and returns at once; its standard error goes to its standard output. */
    static Process start(String... args) throws Exception {
        return new ProcessBuilder(command(args)).redirectErrorStream(true).start();
    }
}
