package org.slab4j.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The agent beside the bytecode tools that applications and their tests run with: another agent that retransforms and
 * redefines {@code @Slab} classes ({@link RedefineApp}).
 */
class FrameworksIT {
    @Test
    void anotherAgentRetransformsAndRedefinesSlabClassesWhoseInstancesKeepTheirSegments() throws Exception {
        String output = Forked.java(
                "-XX:+EnableDynamicAgentLoading",
                "-javaagent:" + Forked.agent() + "=report=off",
                "-cp",
                classPath("byte-buddy-agent.jar"),
                RedefineApp.class.getName());
        assertFalse(output.contains("FAILED"), output);
        assertFalse(output.contains("[slab4j-agent]"), output);
        assertTrue(output.contains("retransformation saw the hooks: true true"), output);
        for (String step : new String[] {
            "retransformed", "redefined as compiled", "redefined as retransformed", "retransformed again"
        }) {
            assertTrue(output.contains(step + ": 7 16 8\n"), output);
        }
        assertTrue(output.contains("made before holds 1"), output);
        assertTrue(output.contains("allocations 11, frees 11"), output);
    }

    /** @return the test classes and these jars of {@code it-lib} */
    private static String classPath(String... jars) throws Exception {
        Path lib = Path.of(System.getProperty("slab4j.it.lib"));
        StringBuilder path = new StringBuilder(Forked.testClasses());
        for (String jar : jars) {
            path.append(File.pathSeparator).append(lib.resolve(jar));
        }
        return path.toString();
    }
}
