package org.slab4j.sample;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;

/**
 * A trade: 48 bytes in the "trade" cache, whose constructor callback ({@link #stamp}) runs once per object when a
 * slab is grown and writes {@link #STAMP} in the first word. Trades never write that word themselves, so a stamp on
 * every trade shows the kmem_cache constructor at work (and that objects come back in their constructed state).
 */
@Slab(name = "trade", size = 48, ctor = "stamp", release = Slab.Release.EXPLICIT)
final class Trade {
    static final long STAMP = 0x5EED_7AADL;

    @SlabSegment
    MemorySegment mem;

    Trade(int instrument, long price, long quantity) {
        mem.set(JAVA_LONG, 8, instrument);
        mem.set(JAVA_LONG, 16, price);
        mem.set(JAVA_LONG, 24, quantity);
    }

    static void stamp(MemorySegment object) {
        object.set(JAVA_LONG, 0, STAMP);
    }

    boolean stamped() {
        return mem.get(JAVA_LONG, 0) == STAMP;
    }

    int instrument() {
        return (int) mem.get(JAVA_LONG, 8);
    }

    long price() {
        return mem.get(JAVA_LONG, 16);
    }

    long quantity() {
        return mem.get(JAVA_LONG, 24);
    }
}
