package org.slab4j.internal.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The page map's home slots spread the pages of chunks mapped at every 32 MiB boundary (how {@code BuddyAllocator.map}
 * places them): taken as the page number itself, chunks 8 apart share every home slot of a table of 2^20 slots, and
 * probes walk each other's entries.
 */
class PageMapTest {
    private static final int PAGES_PER_CHUNK = 1024; // 4 MiB chunks of 4 KiB pages
    private static final long PAGES_PER_32_MIB = 8192;

    @Test
    void chunksAtEvery32MiBBoundaryHaveHomeSlotsOfTheirOwn() {
        int mask = (1 << 20) - 1; // the table of 2 GiB of 4 KiB pages, at most half full
        Map<Integer, Long> owner = new HashMap<>();
        int shared = 0;
        long base = 0x7f00_0000_0000L >>> 12; // a typical mmap address, in pages: 32 MiB aligned
        for (long chunk = 0; chunk < 512; chunk++) { // 2 GiB of chunks
            for (int page = 0; page < PAGES_PER_CHUNK; page++) {
                long pfn = base + chunk * PAGES_PER_32_MIB + page;
                if (owner.putIfAbsent(PageMap.home(pfn) & mask, pfn) != null) {
                    shared++;
                }
            }
        }
        assertEquals(0, shared, "pages whose home slot another page has");
    }
}
