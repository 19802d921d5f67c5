package org.slab4j.sample;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One matcher's resting orders.
 *
 * <p>Notation: for each instrument and side, {@value #LEVELS} price levels next to {@link #MID} (bids below it, asks
 * above it); a level is a FIFO of orders linked through {@link Resting#prev} and {@link Resting#next}, from
 * {@code head} (oldest, filled first) to {@code tail}. The live set {@code live[0..count)} holds every resting order
 * once, at index {@link Resting#slot}, so that a cancel can pick one at random and remove it in O(1) (the last entry
 * moves into the hole).
 *
 * <p>Invariants: an order rests iff its slot is {@code >= 0}; {@code live[o.slot] == o} for every resting order; each
 * resting order is on exactly one level, {@link Resting#level}, the one of its instrument, side and price (kept in a
 * Java field so that taking an order out reads none of its bytes).
 *
 * <p>Owner: the matcher thread while the phase runs, then the main thread (after the matcher ended). Only
 * {@link #size()} is read by other threads (the gateways, to keep the book at its target size).
 */
final class Book {
    /** The price in the middle of the book: bids rest below it, asks above it. */
    static final long MID = 10_000;
    /** Price levels per side. */
    static final int LEVELS = 16;

    private static final int SPAN = 2 * LEVELS + 1;

    private final Resting[] head = new Resting[Engine.INSTRUMENTS * SPAN];
    private final Resting[] tail = new Resting[Engine.INSTRUMENTS * SPAN];
    private final AtomicInteger size = new AtomicInteger();
    private Resting[] live = new Resting[1024];
    private int count;

    /** @return resting orders, as last published by the owner */
    int size() {
        return size.get();
    }

    /** Appends an order to the tail of its level and to the live set. */
    void rest(Resting o) {
        int level = level(o.instrument(), o.price());
        o.level = level;
        Resting last = tail[level];
        o.prev = last;
        o.next = null;
        if (last == null) {
            head[level] = o;
        } else {
            last.next = o;
        }
        tail[level] = o;
        if (count == live.length) {
            live = Arrays.copyOf(live, 2 * count);
        }
        o.slot = count;
        live[count++] = o;
        size.lazySet(count);
    }

    /** Takes a resting order off its level and out of the live set; the caller releases it. */
    void remove(Resting o) {
        int level = o.level;
        if (o.prev == null) {
            head[level] = o.next;
        } else {
            o.prev.next = o.next;
        }
        if (o.next == null) {
            tail[level] = o.prev;
        } else {
            o.next.prev = o.prev;
        }
        o.prev = null;
        o.next = null;
        Resting moved = live[--count];
        live[o.slot] = moved;
        moved.slot = o.slot;
        live[count] = null;
        o.slot = -1;
        size.lazySet(count);
    }

    /** @return the oldest order at the best price of a side (highest bid, lowest ask), or {@code null} if it is empty */
    Resting best(int instrument, boolean bidSide) {
        int base = instrument * SPAN;
        if (bidSide) {
            for (int l = LEVELS - 1; l >= 0; l--) {
                if (head[base + l] != null) {
                    return head[base + l];
                }
            }
        } else {
            for (int l = LEVELS + 1; l < SPAN; l++) {
                if (head[base + l] != null) {
                    return head[base + l];
                }
            }
        }
        return null;
    }

    /** @return a resting order chosen at random, or {@code null} if none rests */
    Resting pick(SplittableRandom rnd) {
        return count == 0 ? null : live[rnd.nextInt(count)];
    }

    /** Releases every resting order and empties the book. */
    void clear() {
        for (int i = 0; i < count; i++) {
            live[i].release();
            live[i] = null;
        }
        count = 0;
        size.set(0);
        Arrays.fill(head, null);
        Arrays.fill(tail, null);
    }

    private static int level(int instrument, long price) {
        return instrument * SPAN + (int) (price - MID + LEVELS);
    }
}
