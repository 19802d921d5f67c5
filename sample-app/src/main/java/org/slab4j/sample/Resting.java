package org.slab4j.sample;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/**
 * A limit order as the engine sees it, whether its bytes live on a slab ({@link Order}) or on the heap
 * ({@link HeapOrder}): the same {@value #SIZE}-byte layout read and written through a {@link MemorySegment}, so the
 * two phases run the same code and differ only in where the bytes are.
 *
 * <p>Layout: id, price, open quantity, trader, arrival time (nanoTime at the gateway) as longs at 0..39; side and
 * instrument bytes at 40 and 41; the client order id (ASCII, up to 32 bytes) at 48 and the account (up to 16) at 80.
 *
 * <p>The Java fields are the book's: the links of the price level's FIFO, the level, and the order's slot in its book's
 * live set (for cancels at random). They are {@code null}/-1 while the order is not resting, and only the matcher that owns the
 * order's book touches them.
 */
abstract sealed class Resting permits Order, HeapOrder {
    static final int SIZE = 96;
    private static final long ID = 0;
    private static final long PRICE = 8;
    private static final long QUANTITY = 16;
    private static final long TRADER = 24;
    private static final long ARRIVAL = 32;
    private static final long SIDE = 40;
    private static final long INSTRUMENT = 41;
    private static final long CLIENT_ID = 48;
    private static final long ACCOUNT = 80;
    private static final int CLIENT_ID_BYTES = 32;
    private static final int ACCOUNT_BYTES = 16;

    Resting prev;
    Resting next;
    int slot = -1;
    int level;

    /** @return the order's bytes */
    abstract MemorySegment bytes();

    /** Gives the order's memory back (a free on a slab; nothing on the heap, where GC does it). */
    abstract void release();

    /** Writes the fields; called by the constructors once {@link #bytes()} is set. */
    final void write(Wire wire, long arrival) {
        MemorySegment m = bytes();
        m.set(JAVA_LONG, ID, wire.id);
        m.set(JAVA_LONG, PRICE, wire.price);
        m.set(JAVA_LONG, QUANTITY, wire.quantity);
        m.set(JAVA_LONG, TRADER, wire.trader);
        m.set(JAVA_LONG, ARRIVAL, arrival);
        m.set(JAVA_BYTE, SIDE, (byte) (wire.buy ? 1 : 0));
        m.set(JAVA_BYTE, INSTRUMENT, (byte) wire.instrument);
        text(m, CLIENT_ID, CLIENT_ID_BYTES, wire, wire.clientIdFrom, wire.clientIdTo);
        text(m, ACCOUNT, ACCOUNT_BYTES, wire, wire.accountFrom, wire.accountTo);
    }

    /** Copies the message's bytes [from, to) to the field at {@code offset}, cut or padded with zeros to its size. */
    private static void text(MemorySegment m, long offset, int bytes, Wire wire, int from, int to) {
        int n = Math.min(bytes, to - from);
        MemorySegment.copy(wire.bytes, from, m, JAVA_BYTE, offset, n);
        for (int i = n; i < bytes; i++) {
            m.set(JAVA_BYTE, offset + i, (byte) 0);
        }
    }

    final long id() {
        return bytes().get(JAVA_LONG, ID);
    }

    final long price() {
        return bytes().get(JAVA_LONG, PRICE);
    }

    final long quantity() {
        return bytes().get(JAVA_LONG, QUANTITY);
    }

    /** Takes {@code filled} off the order's open quantity. */
    final void fill(long filled) {
        bytes().set(JAVA_LONG, QUANTITY, quantity() - filled);
    }

    final long arrival() {
        return bytes().get(JAVA_LONG, ARRIVAL);
    }

    final boolean buy() {
        return bytes().get(JAVA_BYTE, SIDE) == 1;
    }

    final int instrument() {
        return bytes().get(JAVA_BYTE, INSTRUMENT);
    }
}
