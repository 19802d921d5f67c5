package org.slab4j.sample;

import java.lang.foreign.MemorySegment;

/**
 * The same order as {@link Order}, with its {@value Resting#SIZE} bytes in a heap {@code long[]} (8-byte aligned) behind a heap
 * segment: the baseline phase, same code, bytes on the heap.
 */
final class HeapOrder extends Resting {
    private final MemorySegment mem = MemorySegment.ofArray(new long[SIZE / Long.BYTES]);

    HeapOrder(Wire wire, long arrival) {
        write(wire, arrival);
    }

    @Override
    MemorySegment bytes() {
        return mem;
    }

    @Override
    void release() {
        // the garbage collector's job
    }
}
