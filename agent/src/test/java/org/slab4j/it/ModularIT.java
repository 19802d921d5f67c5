package org.slab4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
        String output = Forked.java("-javaagent:" + Forked.agent(), "-p", out.toString(), "-m", "slabapp/app.Main");
        assertTrue(output.contains("module slabapp segment 24"), output);
    }
}
