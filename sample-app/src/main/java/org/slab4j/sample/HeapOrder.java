package org.slab4j.sample;

import java.nio.ByteBuffer;

/** The same order as {@link Order}, with its 64 bytes in a heap {@code byte[]}: the baseline phase. */
final class HeapOrder implements Payload {
    private final ByteBuffer mem = ByteBuffer.wrap(new byte[64]);

    HeapOrder(long id, int instrument, boolean buy, long price, long quantity, long trader) {
        mem.putLong(0, id)
                .putLong(8, price)
                .putLong(16, quantity)
                .putLong(24, trader)
                .putLong(32, System.nanoTime())
                .put(40, (byte) (buy ? 1 : 0))
                .put(41, (byte) instrument);
    }

    @Override
    public long id() {
        return mem.getLong(0);
    }

    @Override
    public long price() {
        return mem.getLong(8);
    }

    @Override
    public long quantity() {
        return mem.getLong(16);
    }

    @Override
    public void fill(long quantity) {
        mem.putLong(16, quantity() - quantity);
    }

    @Override
    public boolean buy() {
        return mem.get(40) == 1;
    }

    @Override
    public int instrument() {
        return mem.get(41);
    }

    @Override
    public void release() {
        // the garbage collector's job
    }
}
