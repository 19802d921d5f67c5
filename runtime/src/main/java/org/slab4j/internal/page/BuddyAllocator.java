package org.slab4j.internal.page;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One node's buddy page allocator: {@code free_area[order]} lists of free blocks over the node's chunks, with
 * {@code __rmqueue_smallest}'s split on allocation and {@code __free_one_page}'s merge on free.
 *
 * <p>A block is named by a {@code pfn} local to the node: {@code chunkId << 10 | pageIndex}. Buddies are found by
 * flipping bit {@code order} of the page index, relative to the chunk start (the chunk, not the address space, is the
 * unit of buddy alignment). A block that merges up to a whole chunk unmaps the chunk at once.
 */
final class BuddyAllocator {
    private static final int NIL = -1;
    private static final int PAGE_BITS = PageConfig.MAX_ORDER;

    private final int node;
    private final PageAllocator pages;
    private final int[] freeHead = new int[PageConfig.MAX_ORDER + 1];
    private final List<Chunk> chunks = new ArrayList<>();
    private final List<Integer> freeIds = new ArrayList<>();
    private long freePages;
    /** Set by {@link #releaseAll}: the end of the allocator; no chunk is mapped after it. Guarded by this. */
    private boolean released;

    BuddyAllocator(int node, PageAllocator pages) {
        this.node = node;
        this.pages = pages;
        Arrays.fill(freeHead, NIL);
    }

    /**
     * Takes a block of {@code 2^order} pages, mapping a new chunk when no free block is large enough.
     *
     * @throws PageAllocator.PagesRefused when the memory limit or the operating system refuses a new chunk
     */
    synchronized PageBlock alloc(int order) throws PageAllocator.PagesRefused {
        if (released) {
            throw new IllegalStateException("node " + node + ": the allocator is closed");
        }
        int o = order;
        while (o <= PageConfig.MAX_ORDER && freeHead[o] == NIL) {
            o++;
        }
        if (o > PageConfig.MAX_ORDER) {
            addChunk(pages.mapChunk(node, nextId()));
            o = PageConfig.MAX_ORDER;
        }
        int pfn = freeHead[o];
        Chunk c = chunk(pfn);
        int page = pfn & (Chunk.PAGES - 1);
        unlink(c, page, o);
        while (o > order) { // expand(): hand the upper halves back
            o--;
            link(c, page + (1 << o), o);
        }
        freePages -= 1L << order;
        return new PageBlock(c, page, order);
    }

    /** Returns a block; merges it with its free buddies, and unmaps the chunk once it is wholly free. */
    synchronized void free(Chunk c, int page, int order) {
        if (released) { // its chunk is gone with the rest
            return;
        }
        freePages += 1L << order;
        while (order < PageConfig.MAX_ORDER) {
            int buddy = page ^ (1 << order);
            if (c.freeOrder[buddy] != order) {
                break;
            }
            unlink(c, buddy, order);
            page = Math.min(page, buddy);
            order++;
        }
        if (order == PageConfig.MAX_ORDER) {
            freePages -= Chunk.PAGES;
            chunks.set(c.id, null);
            freeIds.add(c.id);
            pages.unmapChunk(c);
            return;
        }
        link(c, page, order);
    }

    /** @return pages on this node's free lists */
    synchronized long freePages() {
        return freePages;
    }

    /** Unmaps every chunk, whatever it holds: the end of the allocator. */
    synchronized void releaseAll() {
        released = true;
        for (Chunk c : chunks) {
            if (c != null) {
                pages.unmapChunk(c);
            }
        }
        chunks.clear();
        freeIds.clear();
        Arrays.fill(freeHead, NIL);
        freePages = 0;
    }

    private int nextId() {
        if (!freeIds.isEmpty()) {
            return freeIds.removeLast();
        }
        chunks.add(null);
        return chunks.size() - 1;
    }

    private void addChunk(Chunk c) {
        chunks.set(c.id, c);
        freePages += Chunk.PAGES;
        link(c, 0, PageConfig.MAX_ORDER);
    }

    private Chunk chunk(int pfn) {
        return chunks.get(pfn >>> PAGE_BITS);
    }

    private void link(Chunk c, int page, int order) {
        int pfn = c.id << PAGE_BITS | page;
        int head = freeHead[order];
        c.freeOrder[page] = (byte) order;
        c.prev[page] = NIL;
        c.next[page] = head;
        if (head != NIL) {
            chunk(head).prev[head & (Chunk.PAGES - 1)] = pfn;
        }
        freeHead[order] = pfn;
    }

    private void unlink(Chunk c, int page, int order) {
        int prev = c.prev[page];
        int next = c.next[page];
        if (prev == NIL) {
            freeHead[order] = next;
        } else {
            chunk(prev).next[prev & (Chunk.PAGES - 1)] = next;
        }
        if (next != NIL) {
            chunk(next).prev[next & (Chunk.PAGES - 1)] = prev;
        }
        c.freeOrder[page] = -1;
    }

    /**
     * glibc's {@code DEFAULT_MMAP_THRESHOLD_MAX} on 64-bit systems: {@code malloc} serves every request above it with a
     * mapping of its own, which {@code free} unmaps. Below it, after the first large free it serves blocks of a chunk's
     * size from its heap, which gives memory back only from its top: one live block there keeps every freed chunk below
     * it resident.
     */
    static final long MMAP_THRESHOLD_MAX = 32L << 20;

    /**
     * Whether the kernel charges every private mapping in full against a commit limit ({@code vm.overcommit_memory}
     * 2): there an over-aligned request would count many times the chunk, so chunks are asked with their own alignment.
     */
    static final boolean STRICT_OVERCOMMIT = strictOvercommit();

    /**
     * Reserves the native memory of one chunk, zeroed by the arena and aligned to its own size, so that a block of
     * order {@code o} is aligned to {@code 2^o} pages in the address space, as the kernel's buddy blocks are in physical
     * memory: alignments above a page ({@code kmem_cache_create}'s, kmalloc's natural ones) then hold. FFM's arena takes
     * the memory from {@code malloc}, asking for the chunk plus its alignment less one byte, and touches (and zeroes)
     * only the chunk. The alignment asked is at least {@link #MMAP_THRESHOLD_MAX}, so that the C library maps each chunk
     * on its own and unmaps it when the chunk is freed: the process's resident memory falls with
     * {@link PageAllocator#mappedBytes()}. That costs address space only (36 MiB reserved for a 4 MiB chunk), except
     * under strict overcommit accounting, where the chunk's own alignment is asked.
     */
    static Chunk map(int id, int node, PageConfig pc) {
        Arena arena = Arena.ofShared();
        try {
            long bytes = pc.slabBytes(PageConfig.MAX_ORDER);
            long align = STRICT_OVERCOMMIT ? bytes : Math.max(bytes, MMAP_THRESHOLD_MAX);
            MemorySegment memory = arena.allocate(bytes, align);
            return new Chunk(id, node, pc.pageShift(), arena, memory);
        } catch (RuntimeException | OutOfMemoryError e) {
            arena.close();
            throw e;
        }
    }

    /** @return whether {@code /proc/sys/vm/overcommit_memory} reads 2; {@code false} where it cannot be read */
    private static boolean strictOvercommit() {
        try {
            return Files.readString(Path.of("/proc/sys/vm/overcommit_memory"))
                    .trim()
                    .equals("2");
        } catch (IOException | RuntimeException e) {
            return false; // not Linux, or not readable: nothing is charged per mapping that this knows of
        }
    }
}
