package org.slab4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SpscRingTest {
    @Test
    void refusesWhenFullAndReturnsNullWhenEmpty() {
        SpscRing<Integer> ring = new SpscRing<>(2);
        assertNull(ring.poll());
        assertTrue(ring.offer(1));
        assertTrue(ring.offer(2));
        assertFalse(ring.offer(3));
        assertEquals(1, ring.poll());
        assertTrue(ring.offer(3));
        assertEquals(2, ring.poll());
        assertEquals(3, ring.poll());
        assertNull(ring.poll());
    }

    @Test
    void rejectsACapacityThatIsNotAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new SpscRing<>(3));
        assertThrows(IllegalArgumentException.class, () -> new SpscRing<>(0));
    }

    @Test
    void carriesEveryElementInOrderBetweenTwoThreads() throws Exception {
        int count = 200_000;
        SpscRing<Integer> ring = new SpscRing<>(64);
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < count; i++) {
                while (!ring.offer(i)) {
                    Thread.onSpinWait();
                }
            }
        });
        for (int expected = 0; expected < count; expected++) {
            Integer element;
            while ((element = ring.poll()) == null) {
                Thread.onSpinWait();
            }
            assertEquals(expected, element);
        }
        producer.get(30, TimeUnit.SECONDS);
    }
}
