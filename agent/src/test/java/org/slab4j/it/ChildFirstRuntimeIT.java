package org.slab4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A child-first class loader that ships its own slab4j-runtime (and SLF4J) links its classes to that copy, not to the
 * agent's: the agent leaves its {@code @Slab} classes as compiled and says so once, rather than starting a second
 * runtime; a parent-first loader with the same class path still gets the agent's copy. See {@link ChildFirstRuntimeApp}.
 */
class ChildFirstRuntimeIT {
    @Test
    void aLoaderWithItsOwnRuntimeCopyIsLeftAloneWithOneErrorAndNoSecondRuntime() throws Exception {
        String output = Forked.java(
                "-javaagent:" + Forked.agent() + "=report=off",
                "-cp",
                System.getProperty("java.class.path"),
                ChildFirstRuntimeApp.class.getName());
        List<String> errors = output.lines()
                .filter(line -> line.startsWith("[slab4j-agent] ERROR"))
                .toList();
        assertEquals(1, errors.size(), output);
        String error = errors.getFirst();
        assertTrue(error.contains("'child-first'"), error);
        assertTrue(error.contains("its own copy of the slab4j runtime"), error);
        assertTrue(error.matches(".*org\\.slab4j\\.internal\\.type\\.SlabHooks from file:\\S*runtime.*"), error);
        assertTrue(error.contains("scope provided"), error);
        assertTrue(error.contains("delegate org.slab4j."), error);

        assertTrue(
                output.contains("child-first: java.lang.IllegalArgumentException: " + Plugin.class.getName()
                        + " was not instrumented by the slab4j agent"),
                output);
        assertTrue(output.contains("parent-first: segment of 16 bytes"), output);
        assertFalse(output.contains("slab4j report of allocator"), "a second runtime's exit report: " + output);
        String threads = output.lines()
                .filter(line -> line.startsWith("slab4j threads: "))
                .findFirst()
                .orElseThrow();
        List<String> names = List.of(threads.substring(threads.indexOf('[') + 1, threads.length() - 1)
                .split(", "));
        assertEquals(names.stream().distinct().count(), names.size(), "a second runtime's threads: " + output);
    }
}
