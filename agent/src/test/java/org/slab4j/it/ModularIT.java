package org.slab4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code @Slab} class in a named module: the agent makes the module read the runtime and opens the class's package
 * to it. The module is compiled here (reading the runtime on the test class path) and run on the module path with
 * nothing else: the runtime comes from the agent.
 */
class ModularIT {
    @Test
    void aSlabClassOfANamedModuleGetsItsSegment(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("app"));
        Files.writeString(src.resolve("module-info.java"), "module slabapp {}\n");
        Files.writeString(src.resolve("app/Main.java"), """
                package app;

                import java.lang.foreign.MemorySegment;
                import org.slab4j.annotation.Slab;
                import org.slab4j.annotation.SlabSegment;

                public class Main {
                    @Slab(size = 24)
                    static final class Thing {
                        @SlabSegment
                        private MemorySegment mem;
                    }

                    public static void main(String[] args) {
                        Thing thing = new Thing();
                        System.out.println("module " + Main.class.getModule().getName()
                                + " segment " + org.slab4j.Slabs.segmentOf(thing).byteSize());
                        org.slab4j.Slabs.free(thing);
                    }
                }
                """);
        Path out = dir.resolve("out");
        int compiled = ToolProvider.getSystemJavaCompiler()
                .run(
                        null,
                        null,
                        null,
                        "-d",
                        out.toString(),
                        "--add-reads",
                        "slabapp=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        src.resolve("module-info.java").toString(),
                        src.resolve("app/Main.java").toString());
        assertEquals(0, compiled);
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process process = new ProcessBuilder(List.of(
                        java,
                        "-javaagent:" + System.getProperty("slab4j.it.agent"),
                        "-XX:TieredStopAtLevel=1",
                        "-p",
                        out.toString(),
                        "-m",
                        "slabapp/app.Main"))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("module slabapp segment 24"), output);
    }
}
