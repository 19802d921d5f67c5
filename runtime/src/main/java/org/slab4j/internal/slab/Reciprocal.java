package org.slab4j.internal.slab;

/**
 * {@code lib/reciprocal_div.c}: unsigned 32-bit division by a constant as a multiply and two shifts, which the kernel
 * uses for {@code obj_to_index}. A 64-bit {@code idiv} costs tens of cycles on many x86 cores, and every free pays
 * one.
 *
 * @param m the magic multiplier ({@code R.m})
 * @param sh1 the first shift ({@code R.sh1})
 * @param sh2 the second shift ({@code R.sh2})
 */
record Reciprocal(long m, int sh1, int sh2) {
    /** {@code reciprocal_value(d)} for {@code 1 <= d < 2^32}. */
    static Reciprocal of(long d) {
        int l = 64 - Long.numberOfLeadingZeros(d - 1); // fls(d - 1)
        long m = ((1L << 32) * ((1L << l) - d)) / d + 1;
        return new Reciprocal(m & 0xFFFF_FFFFL, Math.min(l, 1), Math.max(l - 1, 0));
    }

    /** {@code reciprocal_divide(a, R)}: {@code a / d} for {@code 0 <= a < 2^32}. */
    int divide(long a) {
        return divide(a, m, sh1, sh2);
    }

    /** {@link #divide(long)} with the fields passed in, for callers that keep them in their own fields. */
    static int divide(long a, long m, int sh1, int sh2) {
        long t = (a * m) >>> 32;
        return (int) ((t + ((a - t) >>> sh1)) >>> sh2);
    }
}
