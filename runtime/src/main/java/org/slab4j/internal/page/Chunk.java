package org.slab4j.internal.page;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A run of {@code 2^MAX_ORDER} pages of native memory, reserved at once from the operating system and held by its own
 * shared arena, with one page descriptor per page: the JVM's stand-in for a memory section and its
 * {@code struct page} array.
 *
 * <pre>
 *  base                                                               base + 2^10 pages
 *  |  page 0  |  page 1  |  ...                                   | page 1023 |
 *  freeOrder[]: order of the free buddy block starting at this page, or -1
 *  next/prev[]: links of that free block in its node's free_area list
 * </pre>
 *
 * <p>When every page is free again the whole chunk is unmapped ({@link Arena#close()}).
 */
public final class Chunk {
    static final int PAGES = 1 << PageConfig.MAX_ORDER;

    final int id;
    final int node;
    final long base;
    final long end;
    final long size;

    final int pageShift;
    final Arena arena;
    final MemorySegment memory;
    final byte[] freeOrder = new byte[PAGES];
    final int[] next = new int[PAGES];
    final int[] prev = new int[PAGES];

    Chunk(int id, int node, int pageShift, Arena arena, MemorySegment memory) {
        this.id = id;
        this.node = node;
        this.pageShift = pageShift;
        this.arena = arena;
        this.memory = memory;
        this.base = memory.address();
        this.size = memory.byteSize();
        this.end = base + size;
        Arrays.fill(freeOrder, (byte) -1);
    }

    /** @return the chunk's memory; slices of it are the objects handed out */
    public MemorySegment memory() {
        return memory;
    }

    /** @return the node whose page allocator owns this chunk */
    public int node() {
        return node;
    }

    /** @return the address of the first page */
    public long base() {
        return base;
    }

    /** @return the byte offset of page {@code page} within {@link #memory()} */
    public long pageOffset(int page) {
        return (long) page << pageShift;
    }
}
