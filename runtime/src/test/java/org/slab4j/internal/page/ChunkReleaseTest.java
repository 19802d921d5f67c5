package org.slab4j.internal.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A chunk that the page allocator gives back leaves the process's address space, so its resident pages go back to the
 * operating system, whatever else is mapped: glibc's {@code malloc}, under FFM's {@code Arena}, keeps a block of its
 * own heap mapped when a block above it is still in use, and after the first large free it serves blocks of a chunk's
 * size from that heap (it raises its mmap threshold, up to 32 MiB). Read from {@code /proc/self/maps}, on Linux.
 */
class ChunkReleaseTest {
    private static final PageConfig PC = new PageConfig(4096, 64, 1);

    @Test
    void aFreedChunkIsUnmappedEvenBelowOneStillInUse() throws IOException {
        Path maps = Path.of("/proc/self/maps");
        assumeTrue(Files.isReadable(maps), "no /proc/self/maps: not Linux");
        assumeFalse(BuddyAllocator.STRICT_OVERCOMMIT, "strict overcommit: chunks keep their own alignment");
        BuddyAllocator.map(0, 0, PC).arena.close(); // the first large free, which raises glibc's mmap threshold
        List<Chunk> freed = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            freed.add(BuddyAllocator.map(i + 1, 0, PC));
        }
        Chunk above = BuddyAllocator.map(9, 0, PC); // still in use: a heap below it cannot shrink
        try {
            freed.forEach(c -> c.arena.close());
            List<String> stillMapped = new ArrayList<>();
            for (Chunk c : freed) {
                if (mapped(maps, c.base)) {
                    stillMapped.add(Long.toHexString(c.base));
                }
            }
            assertEquals(List.of(), stillMapped, "freed chunks still mapped");
        } finally {
            above.arena.close();
        }
    }

    /** @return whether {@code address} lies in a mapping of this process */
    private static boolean mapped(Path maps, long address) throws IOException {
        for (String line : Files.readAllLines(maps)) {
            String[] range = line.substring(0, line.indexOf(' ')).split("-");
            long start = Long.parseUnsignedLong(range[0], 16);
            long end = Long.parseUnsignedLong(range[1], 16);
            if (Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0) {
                return true;
            }
        }
        return false;
    }
}
