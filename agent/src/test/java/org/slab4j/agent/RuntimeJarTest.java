package org.slab4j.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slab4j.it.Stderr;

/** {@link RuntimeJar}: one shared file per content, trusted only for its content, its owner and its permissions. */
class RuntimeJarTest {
    private static final byte[] JAR = "the runtime jar's bytes".getBytes();

    @TempDir
    Path dir;

    @Test
    void theSameBytesGiveTheSameFileAndNothingElse() throws IOException {
        Path first = RuntimeJar.file(JAR, dir);
        assertEquals(dir.resolve(RuntimeJar.name(JAR)), first);
        assertTrue(
                first.getFileName().toString().endsWith("-" + System.getProperty("user.name") + ".jar"),
                first::toString);
        assertEquals(first, RuntimeJar.file(JAR, dir));
        assertEquals(List.of(first), files());
        assertArrayEquals(JAR, Files.readAllBytes(first));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(first)));
    }

    @Test
    void otherBytesGetAnotherFile() throws IOException {
        byte[] other = "another build's bytes".getBytes();
        assertNotEquals(RuntimeJar.file(JAR, dir), RuntimeJar.file(other, dir));
        assertEquals(2, files().size());
    }

    @Test
    void aFileWithOtherBytesUnderTheNameIsReplaced() throws IOException {
        Path shared = dir.resolve(RuntimeJar.name(JAR));
        byte[] damaged = JAR.clone();
        damaged[3] ^= 1;
        Files.write(shared, damaged);
        assertEquals(shared, RuntimeJar.file(JAR, dir));
        assertArrayEquals(JAR, Files.readAllBytes(shared));
        assertEquals(List.of(shared), files());
    }

    @Test
    void aLinkUnderTheNameIsNotFollowed() throws IOException {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere")).resolve("jar");
        Files.write(elsewhere, JAR);
        Path shared = Files.createSymbolicLink(dir.resolve(RuntimeJar.name(JAR)), elsewhere);
        assertEquals(shared, RuntimeJar.file(JAR, dir));
        assertFalse(Files.isSymbolicLink(shared));
        assertArrayEquals(JAR, Files.readAllBytes(shared));
    }

    @Test
    void aFileOthersMayWriteIsReplaced() throws IOException {
        Path shared = RuntimeJar.file(JAR, dir);
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-rw-r--"));
        assertEquals(shared, RuntimeJar.file(JAR, dir));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)));
    }

    @Test
    void aDirectoryWhereOthersMayReplaceFilesGetsAPrivateCopy() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path[] copy = new Path[1];
        String warning = Stderr.during(() -> copy[0] = RuntimeJar.file(JAR, dir));
        assertTrue(warning.contains("writable by other users and not sticky"), warning);
        assertTrue(warning.contains(copy[0] + ", deleted at exit"), warning);
        assertArrayEquals(JAR, Files.readAllBytes(copy[0]));
        assertEquals(List.of(copy[0]), files());
    }

    @Test
    void aStickyDirectoryOthersMayWriteIsShared() throws IOException {
        Files.setAttribute(dir, "unix:mode", 01777);
        assertEquals(dir.resolve(RuntimeJar.name(JAR)), RuntimeJar.file(JAR, dir));
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
