package org.slab4j.internal.slab;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.nio.charset.StandardCharsets;

/**
 * A cache's descriptor in native memory: the object of the {@code kmem_cache} cache that the kernel's
 * {@code struct kmem_cache} is. It holds the geometry in a C layout, so the {@code kmem_cache} row of slabinfo counts
 * real objects and a native tool could read a cache's shape; the Java {@link SlabCache} stays the working copy.
 */
final class CacheDescriptor {
    static final int NAME_BYTES = 32;

    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(NAME_BYTES, JAVA_BYTE).withName("name"),
            JAVA_INT.withName("object_size"),
            JAVA_INT.withName("size"),
            JAVA_INT.withName("align"),
            JAVA_INT.withName("num"),
            JAVA_INT.withName("gfporder"),
            JAVA_INT.withName("colour"),
            JAVA_INT.withName("colour_off"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("freelist_size"),
            JAVA_INT.withName("id"));

    private CacheDescriptor() {}

    /** Allocates {@code c}'s descriptor from the {@code kmem_cache} cache (possibly {@code c} itself) and fills it. */
    static MemorySegment allocate(SlabCache kmemCache, SlabCache c) {
        MemorySegment d = kmemCache.alloc(kmemCache.primary);
        byte[] name = c.name.getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(name, 0, d, JAVA_BYTE, 0, Math.min(name.length, NAME_BYTES - 1));
        Geometry.Layout g = c.layout;
        long o = NAME_BYTES;
        for (long v : new long[] {
            c.objectSize,
            g.size(),
            g.align(),
            g.num(),
            g.order(),
            g.colour(),
            g.colourOff(),
            g.flags(),
            g.freelistSize(),
            c.id
        }) {
            d.set(JAVA_INT, o, (int) v);
            o += 4;
        }
        return d;
    }
}
