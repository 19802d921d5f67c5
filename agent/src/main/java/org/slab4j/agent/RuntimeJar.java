package org.slab4j.agent;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * The file of the runtime jar that the agent puts on the bootstrap class path (the JVM takes only files there).
 *
 * <p>The file is a cache keyed by its content and its user: {@code <dir>/slab4j-runtime-<CRC-32C>-<length>-<user>.jar},
 * written once and reused by every later JVM of that user that starts the same agent build, so nothing is deleted at
 * exit and a JVM killed with {@code kill -9} leaves nothing behind that the next one does not reuse. The name is only a
 * key: the content decides. (The user in the name keeps users of a shared {@code /tmp} out of each other's way.)
 *
 * <ol>
 *   <li>If a file of that name exists, is a regular file (not a link), is owned by this JVM's user, is writable by no
 *       one else and holds exactly these bytes, it is used as it is.
 *   <li>Otherwise the bytes are written to a fresh name in the same directory (readable by all, writable by the owner),
 *       and that file is renamed to the shared name in one atomic step, so that no JVM ever sees a partial file. Two
 *       JVMs racing to do so both end with the same bytes under that name.
 *   <li>If the rename fails (say the name belongs to another user in a shared {@code /tmp}), or the directory lets
 *       others replace files that are not theirs (writable by group or others without the sticky bit), the fresh file
 *       is this JVM's private copy, deleted at exit, and a WARN says why.
 * </ol>
 *
 * Not {@code MessageDigest}: loading the security providers costs tens of milliseconds at every start; a CRC-32C key
 * with a full comparison of the bytes is as safe, since a file is only ever trusted for its content.
 */
final class RuntimeJar {
    private static final String PREFIX = "slab4j-runtime-";
    private static final int GROUP_OR_OTHERS_WRITE = 0022;
    private static final int STICKY = 01000;

    private RuntimeJar() {}

    /**
     * @param bytes the runtime jar
     * @param dir the directory to keep it in, {@code java.io.tmpdir} for the agent
     * @return a file holding exactly {@code bytes}
     * @throws IOException if no file can be written in {@code dir}
     */
    static Path file(byte[] bytes, Path dir) throws IOException {
        Path shared = dir.resolve(name(bytes));
        String unsafe = unsafeDirectory(dir);
        if (unsafe == null && reusable(shared, bytes)) {
            return shared;
        }
        Path fresh = write(bytes, dir);
        if (unsafe == null) {
            try {
                return Files.move(fresh, shared, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                unsafe = "it cannot be replaced (" + e + ")";
            }
        }
        fresh.toFile().deleteOnExit();
        AgentLog.warn("the runtime jar is not shared through " + shared + ": " + unsafe
                + "; this JVM uses a copy of its own, " + fresh + ", deleted at exit");
        return fresh;
    }

    /** @return the shared file's name for these bytes and this JVM's user */
    static String name(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        String user = System.getProperty("user.name", "").replaceAll("[^A-Za-z0-9._-]", "_");
        return PREFIX + HexFormat.of().toHexDigits((int) crc.getValue()) + "-" + bytes.length + "-" + user + ".jar";
    }

    /** @return why others could replace a file in {@code dir} once this JVM has checked it, or null if they cannot */
    private static String unsafeDirectory(Path dir) throws IOException {
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("unix")) {
            return null; // Windows: the temporary directory is the user's own
        }
        int mode = (Integer) Files.getAttribute(dir, "unix:mode");
        return (mode & GROUP_OR_OTHERS_WRITE) != 0 && (mode & STICKY) == 0
                ? dir + " is writable by other users and not sticky"
                : null;
    }

    private static boolean reusable(Path file, byte[] bytes) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return false; // none yet (or unreadable): write one
        }
        if (!attributes.isRegularFile() || attributes.size() != bytes.length || !ownedByThisUser(file)) {
            return false;
        }
        if (file.getFileSystem().supportedFileAttributeViews().contains("unix")
                && ((Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS) & GROUP_OR_OTHERS_WRITE)
                        != 0) {
            return false;
        }
        return Arrays.equals(Files.readAllBytes(file), bytes);
    }

    private static boolean ownedByThisUser(Path file) throws IOException {
        UserPrincipal owner = Files.getOwner(file, LinkOption.NOFOLLOW_LINKS);
        try {
            return owner.equals(file.getFileSystem()
                    .getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name")));
        } catch (IOException e) {
            return false; // a user without a name (say a container's uid with no passwd entry): never share
        }
    }

    /** Not Files.createTempFile, nor ProcessHandle: their SecureRandom and thread pool slow every startup. */
    private static Path write(byte[] bytes, Path dir) throws IOException {
        FileAttribute<?>[] readableByAll =
                dir.getFileSystem().supportedFileAttributeViews().contains("posix")
                        ? new FileAttribute<?>[] {
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"))
                        }
                        : new FileAttribute<?>[0];
        for (long n = System.nanoTime(); ; n++) {
            Path fresh;
            try {
                fresh = Files.createFile(dir.resolve(PREFIX + Long.toHexString(n) + ".tmp"), readableByAll);
            } catch (FileAlreadyExistsException e) {
                continue; // another JVM took this name: try the next
            }
            try {
                return Files.write(fresh, bytes);
            } catch (IOException e) {
                Files.deleteIfExists(fresh);
                throw e;
            }
        }
    }
}
