package org.slab4j.agent.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file commands say why a file cannot be read or written, not only its path: a missing file or directory gave
 * "cannot write /nonexistent/x.jfc: /nonexistent/x.jfc".
 */
class FileErrorsTest {
    private final PrintStream sink = new PrintStream(new ByteArrayOutputStream());

    @Test
    void jfcIntoAMissingDirectorySaysItIsMissing(@TempDir Path dir) {
        String target = dir.resolve("missing/x.jfc").toString();
        CommandException e = assertThrows(CommandException.class, () -> JfcFile.run(List.of("-o", target), sink));
        assertEquals(CommandException.FAILED, e.status());
        assertEquals("jfc: cannot write " + target + ": no such file or directory", e.getMessage());
    }

    /**
     * A directory as jfc's target: a non-empty one gave "cannot write DIR: DIR" (the path twice), an empty one was
     * replaced by the file.
     */
    @Test
    void jfcIntoADirectorySaysItIsADirectoryAndLeavesIt(@TempDir Path dir) throws Exception {
        Path full = Files.createDirectories(dir.resolve("full/inside"));
        Path empty = Files.createDirectory(dir.resolve("empty"));
        for (Path target : List.of(full.getParent(), empty)) {
            CommandException e =
                    assertThrows(CommandException.class, () -> JfcFile.run(List.of("-o", target.toString()), sink));
            assertEquals(CommandException.FAILED, e.status());
            assertEquals("jfc: cannot write " + target + ": is a directory", e.getMessage());
            assertTrue(Files.isDirectory(target), target + " is still a directory");
        }
    }

    @Test
    void htmlOfAMissingFileOrIntoADirectorySaysWhy(@TempDir Path dir) throws Exception {
        String in = dir.resolve("absent.jsonl").toString();
        CommandException e = assertThrows(CommandException.class, () -> HtmlReport.run(List.of(in), sink));
        assertEquals("html: cannot read " + in + ": no such file or directory", e.getMessage());
        Path report = Files.writeString(
                dir.resolve("r.jsonl"),
                "{\"schema\":1,\"type\":\"summary\",\"time\":\"2026-12-07T03:00:00Z\",\"allocator\":\"global\","
                        + "\"inUseObjects\":1,\"cachedObjects\":0,\"slabs\":1,\"activeSlabs\":1}\n");
        Path out = Files.createDirectory(dir.resolve("taken.html"));
        e = assertThrows(
                CommandException.class, () -> HtmlReport.run(List.of(report.toString(), "-o", out.toString()), sink));
        assertTrue(
                e.getMessage().startsWith("html: cannot write " + out + ": ")
                        && !e.getMessage().contains("Exception"),
                e.getMessage());
    }
}
