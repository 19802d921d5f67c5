package org.slab4j.internal.slab;

/**
 * The kmalloc size classes: {@code kmalloc_index}, {@code kmalloc_info[]} names and the creation order of
 * {@code create_kmalloc_caches} ({@code include/linux/slab.h}, {@code mm/slab_common.c}).
 *
 * <p>Index {@code i} in {@code KMALLOC_SHIFT_LOW..KMALLOC_SHIFT_HIGH} is the class of size {@code 2^i}; indices 1 and
 * 2 are the odd classes 96 and 192.
 */
public final class KmallocIndex {
    /** {@code KMALLOC_SHIFT_LOW} for SLAB: the smallest class is 32 bytes. */
    public static final int SHIFT_LOW = 5;

    private KmallocIndex() {}

    /**
     * {@code kmalloc_index}.
     *
     * @param size a request size in {@code 1..KMALLOC_MAX_SIZE}
     * @return the class index
     */
    public static int index(long size) {
        if (size <= 1L << SHIFT_LOW) {
            return SHIFT_LOW;
        }
        if (size > 64 && size <= 96) {
            return 1;
        }
        if (size > 128 && size <= 192) {
            return 2;
        }
        return 64 - Long.numberOfLeadingZeros(size - 1);
    }

    /** @return the byte size of class {@code index} */
    public static long size(int index) {
        return switch (index) {
            case 1 -> 96;
            case 2 -> 192;
            default -> 1L << index;
        };
    }

    /** @return the kernel's name for class {@code index}: kmalloc-96, kmalloc-1k, kmalloc-4M … */
    public static String name(int index) {
        long size = size(index);
        if (size >= 1 << 20 && size % (1 << 20) == 0) {
            return "kmalloc-" + (size >> 20) + "M";
        }
        if (size >= 1 << 10 && size % (1 << 10) == 0) {
            return "kmalloc-" + (size >> 10) + "k";
        }
        return "kmalloc-" + size;
    }

    /**
     * The order in which {@code create_kmalloc_caches} makes the classes: ascending powers of two, with 96 made right
     * after 64 and 192 right after 128.
     *
     * @param shiftHigh {@code KMALLOC_SHIFT_HIGH}
     * @return class indices in creation order
     */
    public static int[] creationOrder(int shiftHigh) {
        int[] order = new int[shiftHigh - SHIFT_LOW + 1 + 2];
        int n = 0;
        for (int i = SHIFT_LOW; i <= shiftHigh; i++) {
            order[n++] = i;
            if (i == 6) {
                order[n++] = 1;
            } else if (i == 7) {
                order[n++] = 2;
            }
        }
        return order;
    }
}
