package org.slab4j.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Starts {@link ConflictingApp} in its own JVM with the agent and a class path of only the test classes plus Byte
 * Buddy 1.14 and SLF4J 1.7: the agent's relocated copies do not clash with them, and the runtime comes from the agent.
 * The report printed at exit ({@code report=exit}) names the allocation site.
 */
class ConflictingLibrariesIT {
    @Test
    void anApplicationWithItsOwnByteBuddyAndSlf4jWorks() throws Exception {
        Path lib = Path.of(System.getProperty("slab4j.it.lib"));
        String classPath = String.join(
                File.pathSeparator,
                Forked.testClasses(),
                lib.resolve("byte-buddy-1.14.18.jar").toString(),
                lib.resolve("slf4j-api-1.7.36.jar").toString(),
                lib.resolve("slf4j-simple-1.7.36.jar").toString());
        String output = Forked.java(
                "-javaagent:" + Forked.agent() + "=report=exit", "-cp", classPath, ConflictingApp.class.getName());
        assertTrue(output.contains("byte-buddy-1.14.18.jar"), output);
        assertTrue(output.contains("slf4j-api-1.7.36.jar"), output);
        assertTrue(output.contains("application logging works"), output);
        assertTrue(output.contains("generated org.slab4j.it.Generated"), output);
        assertTrue(output.contains("order 5"), output);
        assertTrue(output.contains("slab4j report of allocator 'global'"), output);
        assertTrue(output.contains(" org.slab4j.it.ConflictingApp.main:"), output);
    }
}
