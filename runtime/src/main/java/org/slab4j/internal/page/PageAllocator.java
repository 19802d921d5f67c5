package org.slab4j.internal.page;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The page allocator of every node, the memory limit, and the lock-free address lookup: the JVM's
 * {@code alloc_pages_node}, {@code __free_pages} and {@code virt_to_page}.
 *
 * <p>Each node has its own {@link BuddyAllocator} over its own chunks. The limit counts mapped chunks, so memory is
 * refused in chunk steps ({@link #chunkBytes()}).
 */
public final class PageAllocator {
    /** The memory limit or the operating system refused a new chunk. */
    public static final class PagesRefused extends Exception {
        private static final long serialVersionUID = 1L;

        PagesRefused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final PageConfig pc;
    private final BuddyAllocator[] nodes;
    private final ChunkTable table;
    private final long limit;
    private final AtomicLong mapped = new AtomicLong();

    /**
     * @param nodes the number of nodes, each with its own buddy allocator
     * @param limit the most bytes the chunks of all nodes may take together
     */
    public PageAllocator(PageConfig pc, int nodes, long limit) {
        this.pc = pc;
        this.limit = limit;
        this.table = new ChunkTable(pc.pageShift() + PageConfig.MAX_ORDER);
        this.nodes = new BuddyAllocator[nodes];
        for (int i = 0; i < nodes; i++) {
            this.nodes[i] = new BuddyAllocator(i, this);
        }
    }

    /** @return the bytes of one chunk, the step in which memory is mapped and unmapped */
    public long chunkBytes() {
        return pc.slabBytes(PageConfig.MAX_ORDER);
    }

    /** @return the configured limit in bytes */
    public long limit() {
        return limit;
    }

    /** @return bytes currently mapped from the operating system */
    public long mappedBytes() {
        return mapped.get();
    }

    /** @return bytes on the free lists of all nodes */
    public long freeBytes() {
        long pages = 0;
        for (BuddyAllocator b : nodes) {
            pages += b.freePages();
        }
        return pages << pc.pageShift();
    }

    /** {@code alloc_pages_node(node, order)}. */
    public PageBlock allocPages(int node, int order) throws PagesRefused {
        return nodes[node].alloc(order);
    }

    /** {@code __free_pages}: gives a block back to the node that owns its chunk. */
    public void freePages(PageBlock block) {
        nodes[block.chunk().node].free(block.chunk(), block.page(), block.order());
    }

    /** @return the chunk containing {@code address}, or {@code null} if the allocator did not map it */
    public Chunk chunkOf(long address) {
        return table.find(address);
    }

    /** Unmaps every chunk of every node. */
    public void releaseAll() {
        for (BuddyAllocator b : nodes) {
            b.releaseAll();
        }
    }

    Chunk mapChunk(int node, int id) throws PagesRefused {
        long bytes = chunkBytes();
        long now = mapped.addAndGet(bytes);
        if (now > limit) {
            mapped.addAndGet(-bytes);
            throw new PagesRefused(
                    "memory limit of " + limit + " bytes reached (" + (now - bytes) + " bytes mapped in chunks of "
                            + bytes + ")",
                    null);
        }
        try {
            Chunk c = BuddyAllocator.map(id, node, pc);
            table.add(c);
            return c;
        } catch (RuntimeException | OutOfMemoryError e) {
            mapped.addAndGet(-bytes);
            throw new PagesRefused("the operating system refused " + bytes + " bytes: " + e, e);
        }
    }

    void unmapChunk(Chunk c) {
        table.remove(c);
        c.arena.close();
        mapped.addAndGet(-chunkBytes());
    }
}
