package org.slab4j.internal.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The buddy allocator splits and merges as {@code __rmqueue_smallest} / {@code __free_one_page}. */
class PageAllocatorTest {
    private static final PageConfig PC = new PageConfig(4096, 64, 1);
    private static final long CHUNK = 4L << 20;

    @Test
    void splitsMergesAndUnmapsWholeChunks() throws Exception {
        PageAllocator pa = new PageAllocator(PC, 1, Long.MAX_VALUE);
        List<PageBlock> blocks = new ArrayList<>();
        Set<Long> addresses = new HashSet<>();
        for (int i = 0; i < 1024; i++) {
            PageBlock b = pa.allocPages(0, 0);
            assertTrue(addresses.add(b.address()), "page handed out twice");
            assertEquals(0, b.address() % 4096);
            blocks.add(b);
        }
        assertEquals(CHUNK, pa.mappedBytes(), "1024 single pages fill exactly one chunk");
        assertEquals(0, pa.freeBytes());
        PageBlock extra = pa.allocPages(0, 0);
        assertEquals(2 * CHUNK, pa.mappedBytes());
        pa.freePages(extra);
        assertEquals(CHUNK, pa.mappedBytes(), "a wholly free chunk goes back to the OS");
        // Free in a random order: buddies merge back into one order-10 block, which unmaps the chunk.
        SplittableRandom rnd = new SplittableRandom(7);
        while (!blocks.isEmpty()) {
            pa.freePages(blocks.remove(rnd.nextInt(blocks.size())));
        }
        assertEquals(0, pa.mappedBytes());
        assertEquals(0, pa.freeBytes());
    }

    @Test
    void mixedOrdersAreAlignedToTheirSizeWithinTheChunk() throws Exception {
        PageAllocator pa = new PageAllocator(PC, 2, Long.MAX_VALUE);
        SplittableRandom rnd = new SplittableRandom(1);
        List<PageBlock> blocks = new ArrayList<>();
        long pages = 0;
        for (int i = 0; i < 500; i++) {
            int order = rnd.nextInt(5);
            PageBlock b = pa.allocPages(i % 2, order);
            assertEquals(0, b.page() % (1 << order), "buddy blocks are aligned to their order");
            assertEquals(i % 2, b.chunk().node());
            blocks.add(b);
            pages += 1L << order;
        }
        assertEquals(pa.mappedBytes() - pa.freeBytes(), pages * 4096);
        for (PageBlock b : blocks) {
            pa.freePages(b);
        }
        assertEquals(0, pa.mappedBytes());
    }

    @Test
    void addressesResolveToTheirChunk() throws Exception {
        PageAllocator pa = new PageAllocator(PC, 1, Long.MAX_VALUE);
        List<PageBlock> blocks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            blocks.add(pa.allocPages(0, 10)); // three chunks
        }
        for (PageBlock b : blocks) {
            assertSame(b.chunk(), pa.chunkOf(b.address()));
            assertSame(b.chunk(), pa.chunkOf(b.address() + CHUNK - 1));
        }
        assertNull(pa.chunkOf(16));
        pa.freePages(blocks.get(1));
        assertNull(pa.chunkOf(blocks.get(1).address()), "an unmapped chunk is forgotten");
        pa.releaseAll();
        assertEquals(0, pa.mappedBytes());
    }

    @Test
    void theLimitRefusesNewChunks() throws Exception {
        PageAllocator pa = new PageAllocator(PC, 1, CHUNK);
        PageBlock b = pa.allocPages(0, 10);
        PageAllocator.PagesRefused e = assertThrows(PageAllocator.PagesRefused.class, () -> pa.allocPages(0, 0));
        assertTrue(e.getMessage().contains("limit of " + CHUNK), e.getMessage());
        pa.freePages(b);
        pa.freePages(pa.allocPages(0, 0));
    }
}
