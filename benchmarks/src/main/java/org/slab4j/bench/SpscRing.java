package org.slab4j.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded, lock-free hand-off queue for exactly one producer thread and one consumer thread.
 *
 * <p>The producer publishes a slot by a release store of {@code tail}, the consumer frees it by a release store of
 * {@code head}; each side re-reads the other's index only when its cached copy says the ring is full or empty. The
 * same ring carries every allocator's objects in {@link ProducerConsumerBenchmark}, so its cost is common to all.
 *
 * @param <E> the element type
 */
final class SpscRing<E> {
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(SpscRing.class, "head", long.class);
            TAIL = lookup.findVarHandle(SpscRing.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object[] slots;
    private final int mask;

    /** The next slot to take: written by the consumer only. */
    private long head;
    /** The next slot to fill: written by the producer only. */
    private long tail;
    /** The producer's last view of {@link #head}. */
    private long headSeen;
    /** The consumer's last view of {@link #tail}. */
    private long tailSeen;

    /** @param capacity how many elements the ring holds, a power of two */
    SpscRing(int capacity) {
        if (capacity <= 0 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        slots = new Object[capacity];
        mask = capacity - 1;
    }

    /**
     * Producer side.
     *
     * @return {@code false}, leaving the ring unchanged, if it is full
     */
    boolean offer(E element) {
        long t = tail;
        if (t - headSeen == slots.length) {
            headSeen = (long) HEAD.getAcquire(this);
            if (t - headSeen == slots.length) {
                return false;
            }
        }
        slots[(int) t & mask] = element;
        TAIL.setRelease(this, t + 1);
        return true;
    }

    /**
     * Consumer side.
     *
     * @return the oldest element, or {@code null} if the ring is empty
     */
    E poll() {
        long h = head;
        if (h == tailSeen) {
            tailSeen = (long) TAIL.getAcquire(this);
            if (h == tailSeen) {
                return null;
            }
        }
        int index = (int) h & mask;
        @SuppressWarnings("unchecked") // only offer() stores into slots, and it takes an E
        E element = (E) slots[index];
        slots[index] = null;
        HEAD.setRelease(this, h + 1);
        return element;
    }
}
