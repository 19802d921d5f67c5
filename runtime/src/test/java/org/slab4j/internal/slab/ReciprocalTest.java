package org.slab4j.internal.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@code reciprocal_divide} agrees with the division operator for every divisor and dividend a slab can produce. */
class ReciprocalTest {
    @Test
    void dividesExactlyLikeTheDivisionOperator() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (long d = 1; d <= 70_000; d += d < 5000 ? 1 : 97) {
            Reciprocal r = Reciprocal.of(d);
            for (int i = 0; i < 200; i++) {
                long a = i < 100 ? rnd.nextLong(1L << 27) : d * rnd.nextLong(1L << 12) + i - 100;
                assertEquals(a / d, r.divide(a), "d=" + d + " a=" + a);
            }
            assertEquals(((1L << 26) - 1) / d, r.divide((1L << 26) - 1));
        }
        Reciprocal big = Reciprocal.of(4L << 20);
        assertEquals(0, big.divide((4L << 20) - 1));
        assertEquals(1, big.divide(4L << 20));
    }
}
