package org.slab4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent beside the bytecode tools that applications and their tests run with: another agent that retransforms and
 * redefines {@code @Slab} classes ({@link RedefineApp}), Mockito's inline mock maker ({@link MockitoApp}), JaCoCo's
 * agent ({@link JacocoApp}).
 */
class FrameworksIT {
    @Test
    void jacocoCoversSlabClassesWhicheverAgentComesFirst(@TempDir Path dir) throws Exception {
        for (boolean jacocoFirst : new boolean[] {true, false}) {
            Path exec = dir.resolve("jacoco-" + jacocoFirst + ".exec");
            String jacoco =
                    "-javaagent:" + Path.of(System.getProperty("slab4j.it.lib")).resolve("jacocoagent.jar")
                            + "=destfile=" + exec + ",includes=org.slab4j.it.JacocoApp*";
            String slab4j = "-javaagent:" + Forked.agent() + "=report=off";
            String output = Forked.java(
                    jacocoFirst ? jacoco : slab4j,
                    jacocoFirst ? slab4j : jacoco,
                    "-cp",
                    Forked.testClasses(),
                    JacocoApp.class.getName());
            assertFalse(output.contains("[slab4j-agent]"), output);
            assertTrue(output.contains("covered 6 16\n"), output);
            assertTrue(output.contains("thrown negative\n"), output);
            // the constructor that threw gave its segment back and left the counts as they were
            assertTrue(output.contains("allocations 1, frees 1, sites 2\n"), output);
            Map<String, Integer> covered = coveredProbes(exec);
            assertTrue(covered.getOrDefault("org/slab4j/it/JacocoApp$Covered", 0) >= 4, covered + "\n" + output);
            assertTrue(covered.getOrDefault("org/slab4j/it/JacocoApp", 0) >= 4, covered + "\n" + output);
        }
    }

    /**
     * Reads a JaCoCo execution data file: a header block (1), session blocks (0x10: id, start, dump) and a block per
     * class (0x11: id, name, then its probes as a variable-length count and a bit per probe).
     *
     * @return the number of probes hit, by internal class name
     */
    private static Map<String, Integer> coveredProbes(Path exec) throws IOException {
        Map<String, Integer> covered = new TreeMap<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(exec)))) {
            for (int block = in.read(); block != -1; block = in.read()) {
                switch (block) {
                    case 0x01 -> {
                        assertEquals(0xC0C0, in.readChar());
                        in.readChar();
                    }
                    case 0x10 -> {
                        in.readUTF();
                        in.readLong();
                        in.readLong();
                    }
                    case 0x11 -> {
                        in.readLong();
                        String name = in.readUTF();
                        int probes = varInt(in);
                        int hit = 0;
                        for (int i = 0; i < probes; i += 8) {
                            hit += Integer.bitCount(in.readUnsignedByte());
                        }
                        covered.merge(name, hit, Integer::sum);
                    }
                    default -> throw new IOException("block " + block + " in " + exec);
                }
            }
        }
        return covered;
    }

    private static int varInt(DataInputStream in) throws IOException {
        int value = in.readUnsignedByte();
        return (value & 0x80) == 0 ? value : (value & 0x7F) | varInt(in) << 7;
    }

    @Test
    void mockitoMocksAndSpiesSlabClasses() throws Exception {
        String output = Forked.java(
                "-javaagent:" + Forked.agent() + "=report=exit",
                "-cp",
                classPath("mockito-core.jar", "byte-buddy-1.17.7.jar", "byte-buddy-agent.jar", "objenesis.jar"),
                MockitoApp.class.getName());
        assertFalse(output.contains("FAILED"), output);
        assertFalse(output.contains("[slab4j-agent]"), output);
        assertFalse(output.contains("\tat "), output);
        // A mock is made without a constructor: it has no segment, and what slab4j calls on it is recorded.
        assertTrue(output.contains("mock: 42 true\n"), output);
        assertTrue(
                output.contains(
                        "mock invocations: [account.balance();, account.slab4j$free(false);, account.close();]"),
                output);
        // A spy of a class runs a constructor: a segment of its own, which close() gives back.
        assertTrue(output.contains("spy of a class: 5 16\n"), output);
        assertTrue(output.contains("spy of a class closed: true\n"), output);
        // A spy of an instance is a field-by-field copy of it: the two share the original's segment.
        assertTrue(output.contains("spy of an instance: 8 8 true\n"), output);
        assertTrue(output.contains("spy of an instance, then its original freed: cache 'mocked': double free"), output);
        // Mockito's subclass mocks carry a copy of the class's @Slab: they are subclasses like any other.
        assertTrue(output.contains("spy of an abstract class: ann 11 16 mocked-ledger\n"), output);
        assertTrue(output.contains("serializable mock: 3 true\n"), output);
        assertTrue(output.contains("static mock: CHF 3\n"), output);
        assertTrue(output.contains("static mock closed: EUR\n"), output);
        assertTrue(output.contains("construction mock: 0 true 1\n"), output);
        assertTrue(output.contains("after: 9 1\n"), output);
        assertTrue(output.contains("live 0 0\n"), output);
        assertFalse(output.contains("LEAK:") || output.contains("leak:"), output);
    }

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

    @Test
    void aHotSwapOfASlabClassWithLiveInstancesTakesAnEditedBodyAndNamesTheProblemOfAMisconfiguredOne(@TempDir Path dir)
            throws Exception {
        String edited = swappedClassFile(dir.resolve("edited"), "return 2;");
        String broken = swappedClassFile(dir.resolve("broken"), "mem = null; return 3;");
        String output = Forked.java(
                "-XX:+EnableDynamicAgentLoading",
                "-javaagent:" + Forked.agent() + "=report=off",
                "-cp",
                classPath("byte-buddy-agent.jar"),
                HotSwapApp.class.getName(),
                edited,
                broken);
        assertTrue(output.contains("redefined: 2\n"), output);
        assertTrue(output.contains("refused: "), output);
        // the JVM names a schema change: the agent says which configuration error left the class unable to keep it
        assertTrue(
                output.contains("[slab4j-agent] ERROR @Slab class org.slab4j.it.Swapped: @SlabSegment field mem is"
                        + " assigned in method value()"),
                output);
        assertTrue(output.contains("; the JVM refuses this redefinition of it"), output);
        assertTrue(output.contains("live 0\n"), output);
    }

    /** @return the class file of {@link Swapped} compiled with {@code body} as its {@code value()}'s, in {@code dir} */
    private static String swappedClassFile(Path dir, String body) throws Exception {
        Path source = Files.createDirectories(dir).resolve("Swapped.java");
        Files.writeString(source, """
                package org.slab4j.it;

                import java.lang.foreign.MemorySegment;
                import org.slab4j.annotation.Slab;
                import org.slab4j.annotation.SlabSegment;

                @Slab(name = "swapped", size = 16, release = Slab.Release.TRACKED)
                public class Swapped {
                    @SlabSegment
                    MemorySegment mem;

                    long value() {
                        %s
                    }
                }
                """.formatted(body));
        int status = ToolProvider.getSystemJavaCompiler()
                .run(
                        null,
                        null,
                        null,
                        "--release",
                        "22",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-d",
                        dir.toString(),
                        source.toString());
        assertEquals(0, status);
        return dir.resolve("org/slab4j/it/Swapped.class").toString();
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
