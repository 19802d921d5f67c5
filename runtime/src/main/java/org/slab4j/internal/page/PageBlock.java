package org.slab4j.internal.page;

import java.lang.foreign.MemorySegment;

/**
 * A block of {@code 2^order} contiguous pages handed out by a node's buddy allocator: what {@code alloc_pages} returns.
 *
 * @param chunk the chunk holding the block
 * @param page the index of the block's first page in the chunk
 * @param order the block's order
 */
public record PageBlock(Chunk chunk, int page, int order) {
    /** @return the byte offset of the block within {@code chunk().memory()} */
    public long offset() {
        return chunk.pageOffset(page);
    }

    /** @return the block's address ({@code page_address}) */
    public long address() {
        return chunk.base() + offset();
    }

    /** @return the chunk's memory, which contains this block at {@link #offset()} */
    public MemorySegment memory() {
        return chunk.memory();
    }
}
