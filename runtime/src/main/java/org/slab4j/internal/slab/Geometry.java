package org.slab4j.internal.slab;

import org.slab4j.FreelistMode;
import org.slab4j.SlabGeometry;
import org.slab4j.internal.page.PageConfig;

/**
 * Slab geometry as pure functions: {@code calculate_alignment} ({@code mm/slab_common.c}), and
 * {@code __kmem_cache_create}, {@code set_objfreelist_slab_cache}, {@code set_off_slab_cache},
 * {@code set_on_slab_cache}, {@code calculate_slab_order} and {@code cache_estimate} ({@code mm/slab.c}, Linux 5.10).
 *
 * <p>Nothing here touches memory, so every size, alignment and flag combination can be checked against the kernel's
 * arithmetic in a unit test. The one input from the running system is {@link KmallocLookup}, the kernel's
 * {@code kmalloc_slab()}, which the OFF_SLAB search consults.
 */
public final class Geometry {
    /** {@code BYTES_PER_WORD}. */
    public static final int BYTES_PER_WORD = 8;
    /** {@code ARCH_SLAB_MINALIGN}. */
    public static final int ARCH_SLAB_MINALIGN = 8;
    /** {@code REDZONE_ALIGN}. */
    public static final int REDZONE_ALIGN = 8;
    /** {@code SLAB_OBJ_MIN_SIZE} with a byte-sized freelist index. */
    public static final int SLAB_OBJ_MIN_SIZE = 16;

    /** The kernel's {@code kmalloc_slab(size)} as the geometry needs it. */
    @FunctionalInterface
    public interface KmallocLookup {
        /**
         * @param size a request size
         * @return the kmalloc cache that would serve it, or {@code null} if none exists (yet)
         */
        Result lookup(long size);

        /** A kmalloc cache as seen by the OFF_SLAB check: its buffer size and whether it is itself off-slab. */
        record Result(long size, boolean offSlab) {}
    }

    /** No kmalloc caches: the state of the boot before {@code UP}. */
    public static final KmallocLookup NO_KMALLOC = size -> null;

    /**
     * A cache's complete shape.
     *
     * @param objectSize the requested object size ({@code object_size})
     * @param size the buffer size ({@code size})
     * @param align the final alignment ({@code align})
     * @param objOffset where the object starts inside its buffer ({@code obj_offset}; 8 with RED_ZONE)
     * @param num objects per slab
     * @param order the slab's page order ({@code gfporder})
     * @param colour number of colours
     * @param colourOff colour step
     * @param mode freelist placement
     * @param freelistSize {@code num * sizeof(freelist_idx_t)}
     * @param flags the effective flags (debug flags may be dropped; placement bits added)
     */
    public record Layout(
            long objectSize,
            long size,
            long align,
            long objOffset,
            int num,
            int order,
            int colour,
            long colourOff,
            FreelistMode mode,
            int freelistSize,
            int flags) {
        /** @return the public view, with the given (possibly raised by merging) object size */
        public SlabGeometry toGeometry(long currentObjectSize) {
            return new SlabGeometry(currentObjectSize, size, align, num, order, colour, colourOff, mode);
        }
    }

    private Geometry() {}

    /** @return {@code x} rounded up to a multiple of the power of two {@code a} ({@code ALIGN}) */
    public static long alignUp(long x, long a) {
        return (x + a - 1) & -a;
    }

    /** {@code calculate_alignment}: the alignment a cache of this size and these flags gets. */
    public static long calculateAlignment(PageConfig pc, int flags, long align, long size) {
        if (CacheFlags.has(flags, CacheFlags.HWCACHE_ALIGN)) {
            long ralign = pc.cacheLineSize();
            while (size <= ralign / 2) {
                ralign /= 2;
            }
            align = Math.max(align, ralign);
        }
        if (align < ARCH_SLAB_MINALIGN) {
            align = ARCH_SLAB_MINALIGN;
        }
        return alignUp(align, BYTES_PER_WORD);
    }

    /**
     * {@code kmem_cache_create} followed by {@code __kmem_cache_create}.
     *
     * @param objectSize the object size asked for
     * @param requestedAlign the caller's alignment, 0 for none
     * @param flags {@link CacheFlags} bits
     * @param hasCtor whether the cache has a constructor
     * @param initOnFree whether objects are zeroed on free ({@code slab_want_init_on_free})
     * @param kmalloc the kmalloc caches that exist now
     * @return the layout, or {@code null} where the kernel returns {@code -E2BIG}
     */
    public static Layout compute(
            PageConfig pc,
            long objectSize,
            long requestedAlign,
            int flags,
            boolean hasCtor,
            boolean initOnFree,
            KmallocLookup kmalloc) {
        long align = calculateAlignment(pc, flags, requestedAlign, objectSize);
        long ralign = BYTES_PER_WORD;
        long size = alignUp(objectSize, BYTES_PER_WORD);
        if (CacheFlags.has(flags, CacheFlags.RED_ZONE)) {
            ralign = REDZONE_ALIGN;
            size = alignUp(size, REDZONE_ALIGN);
        }
        if (ralign < align) {
            ralign = align;
        }
        if (ralign > 8) { // __alignof__(unsigned long long): debug words need word alignment
            flags &= ~(CacheFlags.RED_ZONE | CacheFlags.STORE_USER);
        }
        align = ralign;
        long colourOff = Math.max(pc.cacheLineSize(), align);
        long objOffset = 0;
        if (CacheFlags.has(flags, CacheFlags.RED_ZONE)) {
            objOffset += 8;
            size += 16;
        }
        if (CacheFlags.has(flags, CacheFlags.STORE_USER)) {
            size += CacheFlags.has(flags, CacheFlags.RED_ZONE) ? REDZONE_ALIGN : BYTES_PER_WORD;
        }
        size = alignUp(size, align);
        if (pc.freelistIdxSize() == 1 && size < SLAB_OBJ_MIN_SIZE) {
            size = alignUp(SLAB_OBJ_MIN_SIZE, align);
        }
        int idx = pc.freelistIdxSize();
        boolean wantInitOnFree = CacheFlags.wantInitOnFree(initOnFree, hasCtor, flags);

        // set_objfreelist_slab_cache
        if (!wantInitOnFree && !hasCtor && !CacheFlags.has(flags, CacheFlags.TYPESAFE_BY_RCU)) {
            Order o = calculateSlabOrder(pc, objectSize, size, flags, FreelistMode.OBJFREELIST, kmalloc);
            if (o != null && (long) o.num * idx <= objectSize) {
                return layout(
                        o, objectSize, size, align, objOffset, colourOff, flags | CacheFlags.OBJFREELIST_SLAB, idx);
            }
        }
        // set_off_slab_cache
        Order o = calculateSlabOrder(pc, objectSize, size, flags, FreelistMode.OFF_SLAB, kmalloc);
        if (o != null && o.leftOver < (long) o.num * idx) {
            return layout(o, objectSize, size, align, objOffset, colourOff, flags | CacheFlags.OFF_SLAB, idx);
        }
        // set_on_slab_cache
        o = calculateSlabOrder(pc, objectSize, size, flags, FreelistMode.ON_SLAB, kmalloc);
        if (o != null) {
            return layout(o, objectSize, size, align, objOffset, colourOff, flags, idx);
        }
        return null;
    }

    private static Layout layout(
            Order o, long objectSize, long size, long align, long objOffset, long colourOff, int flags, int idx) {
        return new Layout(
                objectSize,
                size,
                align,
                objOffset,
                o.num,
                o.order,
                (int) (o.leftOver / colourOff),
                colourOff,
                o.mode,
                o.num * idx,
                flags);
    }

    /** The result of {@link #calculateSlabOrder}: {@code num}, {@code gfporder} and the bytes left over. */
    record Order(int num, int order, long leftOver, FreelistMode mode) {}

    /**
     * {@code cache_estimate}: objects that fit in a slab of the given order.
     *
     * @return {@code {num, leftOver}}
     */
    static long[] cacheEstimate(PageConfig pc, int order, long size, FreelistMode mode) {
        long slabBytes = pc.slabBytes(order);
        long per = mode == FreelistMode.ON_SLAB ? size + pc.freelistIdxSize() : size;
        return new long[] {slabBytes / per, slabBytes % per};
    }

    /**
     * {@code calculate_slab_order}.
     *
     * @param objectSize the original object size: the kernel reads {@code cachep->size} here before it is overwritten
     *     with the buffer size, so the OFF_SLAB benefit check compares against the requested size
     * @return the chosen order, or {@code null} when no order fits ({@code num == 0})
     */
    static Order calculateSlabOrder(
            PageConfig pc, long objectSize, long size, int flags, FreelistMode mode, KmallocLookup kmalloc) {
        Order chosen = null;
        for (int order = 0; order <= pc.kmallocMaxOrder(); order++) {
            long[] est = cacheEstimate(pc, order, size, mode);
            long num = est[0];
            if (num == 0) {
                continue;
            }
            if (num > pc.slabObjMaxNum()) {
                break;
            }
            if (mode == FreelistMode.OFF_SLAB) {
                KmallocLookup.Result fc = kmalloc.lookup(num * pc.freelistIdxSize());
                if (fc == null || fc.offSlab() || fc.size() > objectSize / 2) {
                    continue;
                }
            }
            chosen = new Order((int) num, order, est[1], mode);
            if (CacheFlags.has(flags, CacheFlags.RECLAIM_ACCOUNT)
                    || order >= pc.slabMaxOrder()
                    || est[1] * 8 <= pc.slabBytes(order)) {
                break;
            }
        }
        return chosen;
    }
}
