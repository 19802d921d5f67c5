package org.slab4j.sample;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;

/**
 * A limit order: 64 bytes in the "order" cache. Orders are freed explicitly by the matcher ({@code EXPLICIT} release:
 * no phantom reference per instance on the hot path).
 */
@Slab(name = "order", size = 64, release = Slab.Release.EXPLICIT)
final class Order implements Payload {
    private static final long ID = 0;
    private static final long PRICE = 8;
    private static final long QUANTITY = 16;
    private static final long TRADER = 24;
    private static final long TIME = 32;
    private static final long SIDE = 40;
    private static final long INSTRUMENT = 41;

    @SlabSegment
    MemorySegment mem;

    Order(long id, int instrument, boolean buy, long price, long quantity, long trader) {
        mem.set(JAVA_LONG, ID, id);
        mem.set(JAVA_LONG, PRICE, price);
        mem.set(JAVA_LONG, QUANTITY, quantity);
        mem.set(JAVA_LONG, TRADER, trader);
        mem.set(JAVA_LONG, TIME, System.nanoTime());
        mem.set(JAVA_BYTE, SIDE, (byte) (buy ? 1 : 0));
        mem.set(JAVA_BYTE, INSTRUMENT, (byte) instrument);
    }

    @Override
    public long id() {
        return mem.get(JAVA_LONG, ID);
    }

    @Override
    public long price() {
        return mem.get(JAVA_LONG, PRICE);
    }

    @Override
    public long quantity() {
        return mem.get(JAVA_LONG, QUANTITY);
    }

    @Override
    public void fill(long quantity) {
        mem.set(JAVA_LONG, QUANTITY, quantity() - quantity);
    }

    @Override
    public boolean buy() {
        return mem.get(JAVA_BYTE, SIDE) == 1;
    }

    @Override
    public int instrument() {
        return mem.get(JAVA_BYTE, INSTRUMENT);
    }

    @Override
    public void release() {
        org.slab4j.Slabs.free(this);
    }
}
