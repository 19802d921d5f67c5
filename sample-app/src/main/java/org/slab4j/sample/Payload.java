package org.slab4j.sample;

/** An order as the engine sees it, whether its bytes live on a slab ({@link Order}) or on the heap ({@link HeapOrder}). */
interface Payload {
    long id();

    long price();

    long quantity();

    /** Takes {@code quantity} off the order's open quantity. */
    void fill(long quantity);

    boolean buy();

    int instrument();

    /** Gives the order's memory back. */
    void release();
}
