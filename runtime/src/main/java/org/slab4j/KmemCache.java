package org.slab4j;

import java.lang.foreign.MemorySegment;

/**
 * A cache of equally sized off-heap objects: the caller's handle on a {@code struct kmem_cache}.
 *
 * <p>Skeleton: the implementation lands with the runtime core.
 */
public final class KmemCache {
    KmemCache() {}

    /** @return the name this handle was created with */
    public String name() {
        throw new UnsupportedOperationException();
    }

    /** @return an object in its constructed state ({@code kmem_cache_alloc}) */
    public MemorySegment alloc() {
        throw new UnsupportedOperationException();
    }

    /** @return a zero-filled object ({@code kmem_cache_zalloc}) */
    public MemorySegment zalloc() {
        throw new UnsupportedOperationException();
    }

    /** @param object an object of this cache ({@code kmem_cache_free}) */
    public void free(MemorySegment object) {
        throw new UnsupportedOperationException();
    }

    /** @return the cache's geometry */
    public SlabGeometry geometry() {
        throw new UnsupportedOperationException();
    }

    /** Releases what can be released ({@code kmem_cache_shrink}). */
    public void shrink() {
        throw new UnsupportedOperationException();
    }

    /** Drops this handle ({@code kmem_cache_destroy}). */
    public void destroy() {
        throw new UnsupportedOperationException();
    }
}
