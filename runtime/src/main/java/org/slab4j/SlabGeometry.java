package org.slab4j;

/**
 * The shape of a cache's slabs, computed exactly as Linux 5.10's {@code __kmem_cache_create} does.
 *
 * @param objectSize the usable object size: the length of every segment the cache hands out (for a merged cache, the
 *     largest size asked for, as the kernel raises {@code object_size})
 * @param size the buffer size: the distance between two objects, after alignment and debug words
 * @param align the object alignment
 * @param objectsPerSlab objects in one slab ({@code num})
 * @param order a slab spans {@code 2^order} pages ({@code gfporder})
 * @param colour the number of distinct colour offsets a slab can start at
 * @param colourOff the colour step in bytes
 * @param freelistMode where each slab's free list lives
 */
public record SlabGeometry(
        long objectSize,
        long size,
        long align,
        int objectsPerSlab,
        int order,
        int colour,
        long colourOff,
        FreelistMode freelistMode) {}
