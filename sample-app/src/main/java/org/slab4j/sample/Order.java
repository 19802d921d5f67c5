package org.slab4j.sample;

import java.lang.foreign.MemorySegment;
import org.slab4j.Slabs;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;

/**
 * A limit order whose {@value Resting#SIZE} bytes sit in the "order" slab cache. Orders are freed explicitly by the
 * matcher when they fill or are cancelled ({@code EXPLICIT} release: no phantom reference per instance, and nothing
 * left for the garbage collector to do about the bytes).
 */
@Slab(name = "order", size = Resting.SIZE, release = Slab.Release.EXPLICIT)
final class Order extends Resting {
    @SlabSegment
    MemorySegment mem;

    Order(Wire wire, long arrival) {
        write(wire, arrival);
    }

    @Override
    MemorySegment bytes() {
        return mem;
    }

    @Override
    void release() {
        Slabs.free(this);
    }
}
