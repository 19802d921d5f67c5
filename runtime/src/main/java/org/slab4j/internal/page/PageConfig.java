package org.slab4j.internal.page;

/**
 * The machine constants the geometry depends on: {@code PAGE_SIZE}, {@code cache_line_size()},
 * {@code slab_max_order} and the constants derived from them in {@code mm/slab.c} and {@code include/linux/slab.h}.
 *
 * @param pageSize bytes per page, a power of two from 4096
 * @param cacheLineSize bytes per cache line, a power of two
 * @param slabMaxOrder the order above which slabs are not grown for better packing ({@code slab_max_order})
 */
public record PageConfig(int pageSize, int cacheLineSize, int slabMaxOrder) {
    /** The buddy allocator's largest order ({@code MAX_ORDER - 1}): a chunk is {@code 2^10} pages. */
    public static final int MAX_ORDER = 10;

    public PageConfig {
        if (pageSize < 4096 || Integer.bitCount(pageSize) != 1 || pageSize > 1 << 16) {
            throw new IllegalArgumentException("pageSize must be a power of two from 4096 to 65536, not " + pageSize);
        }
        if (cacheLineSize < 8 || Integer.bitCount(cacheLineSize) != 1 || cacheLineSize > pageSize) {
            throw new IllegalArgumentException(
                    "cacheLineSize must be a power of two from 8 to the page size, not " + cacheLineSize);
        }
        if (slabMaxOrder < 0 || slabMaxOrder > MAX_ORDER) {
            throw new IllegalArgumentException(
                    "slabMaxOrder must be between 0 and " + MAX_ORDER + ", not " + slabMaxOrder);
        }
    }

    /** @return {@code PAGE_SHIFT} */
    public int pageShift() {
        return Integer.numberOfTrailingZeros(pageSize);
    }

    /** @return bytes of a slab of the given order, {@code PAGE_SIZE << order} */
    public long slabBytes(int order) {
        return (long) pageSize << order;
    }

    /** @return {@code sizeof(freelist_idx_t)}: one byte when {@code PAGE_SIZE >> 8 <= 16}, else two */
    public int freelistIdxSize() {
        return (pageSize >> 8) <= 16 ? 1 : 2;
    }

    /** @return {@code SLAB_OBJ_MAX_NUM}, the most objects one slab may hold */
    public int slabObjMaxNum() {
        return (1 << (8 * freelistIdxSize())) - 1;
    }

    /** @return {@code KMALLOC_SHIFT_HIGH}: {@code min(MAX_ORDER + PAGE_SHIFT - 1, 25)} with MAX_ORDER 11 */
    public int kmallocShiftHigh() {
        return Math.min(MAX_ORDER + pageShift(), 25);
    }

    /** @return {@code KMALLOC_MAX_ORDER}, the largest order a slab may take */
    public int kmallocMaxOrder() {
        return kmallocShiftHigh() - pageShift();
    }

    /** @return {@code KMALLOC_MAX_SIZE}, the largest kmalloc request */
    public long kmallocMaxSize() {
        return 1L << kmallocShiftHigh();
    }
}
