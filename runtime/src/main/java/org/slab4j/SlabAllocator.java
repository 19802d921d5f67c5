package org.slab4j;

import java.lang.foreign.MemorySegment;
import java.util.Set;

/**
 * A SLAB allocator instance. Skeleton: the implementation lands with the runtime core.
 */
public final class SlabAllocator implements AutoCloseable {
    private SlabAllocator() {}

    public static Builder builder() {
        return new Builder();
    }

    public static SlabAllocator global() {
        throw new UnsupportedOperationException();
    }

    public KmemCache createCache(String name, long size, long align, Set<SlabFlag> flags, SlabCtor ctor) {
        throw new UnsupportedOperationException();
    }

    public MemorySegment kmalloc(long size) {
        throw new UnsupportedOperationException();
    }

    public MemorySegment kzalloc(long size) {
        throw new UnsupportedOperationException();
    }

    public void kfree(MemorySegment object) {
        throw new UnsupportedOperationException();
    }

    public long ksize(MemorySegment object) {
        throw new UnsupportedOperationException();
    }

    public String slabinfo() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException();
    }

    public static final class Builder {
        public SlabAllocator build() {
            throw new UnsupportedOperationException();
        }
    }
}
