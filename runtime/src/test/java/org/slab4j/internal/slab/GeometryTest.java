package org.slab4j.internal.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slab4j.FreelistMode;
import org.slab4j.SlabFlag;
import org.slab4j.internal.page.PageConfig;

/** {@link Geometry} against hand-worked {@code mm/slab.c} arithmetic, and its invariants over a wide grid. */
class GeometryTest {
    private static final PageConfig PC = new PageConfig(4096, 64, 1);

    /** The kmalloc caches of a booted 4 KiB-page allocator: none of them is OFF_SLAB. */
    private static final Geometry.KmallocLookup KMALLOC = size -> size > PC.kmallocMaxSize()
            ? null
            : new Geometry.KmallocLookup.Result(Math.max(KmallocIndex.size(KmallocIndex.index(size)), 32), false);

    private static Geometry.Layout compute(long size, long align, int flags, boolean ctor) {
        return Geometry.compute(PC, size, align, flags, ctor, false, KMALLOC);
    }

    @Test
    void publicFlagsMapToKernelBits() {
        assertEquals(CacheFlags.HWCACHE_ALIGN, CacheFlags.of(EnumSet.of(SlabFlag.HWCACHE_ALIGN)));
        assertEquals(CacheFlags.RECLAIM_ACCOUNT, CacheFlags.of(EnumSet.of(SlabFlag.RECLAIM_ACCOUNT)));
        assertEquals(CacheFlags.TYPESAFE_BY_RCU, CacheFlags.of(EnumSet.of(SlabFlag.TYPESAFE_BY_RCU)));
        assertEquals(CacheFlags.NO_MERGE, CacheFlags.of(EnumSet.of(SlabFlag.NO_MERGE)));
        assertEquals(CacheFlags.POISON, CacheFlags.of(EnumSet.of(SlabFlag.POISON)));
        assertEquals(CacheFlags.RED_ZONE, CacheFlags.of(EnumSet.of(SlabFlag.RED_ZONE)));
        assertEquals(CacheFlags.STORE_USER, CacheFlags.of(EnumSet.of(SlabFlag.STORE_USER)));
        assertEquals(CacheFlags.PANIC, CacheFlags.of(EnumSet.of(SlabFlag.PANIC)));
    }

    @ParameterizedTest(name = "size {0} align {1} flags {2} ctor {3}")
    @CsvSource({
        // size, align, flags, ctor, bufsize, num, order, colour, mode
        // 4 KiB with a ctor: one object per page, the 1-byte freelist in kmalloc-32.
        "4096, 0, 0, true, 4096, 1, 0, 0, OFF_SLAB",
        // 2000 with a ctor: 96 bytes left hold the freelist, so ON_SLAB: 4096 / 2001 = 2, 94 left, 1 colour.
        "2000, 0, 0, true, 2000, 2, 0, 1, ON_SLAB",
        // 3000 with a ctor: order 0 wastes too much, order 1 = slab_max_order: 8192 / 3001 = 2, 2190 left.
        "3000, 0, 0, true, 3000, 2, 1, 34, ON_SLAB",
        // 1 byte: rounded to 8, then to SLAB_OBJ_MIN_SIZE 16; 256 objects exceed 255, so ON_SLAB 4096 / 17.
        "1, 0, 0, false, 16, 240, 0, 0, ON_SLAB",
        // 20 with HWCACHE_ALIGN: 64 halves to 32; 128 indices do not fit a 20-byte object; 4096 / 33 = 124.
        "20, 0, 1, false, 32, 124, 0, 0, ON_SLAB",
        // 100 aligned to 128: colour_off = align.
        "100, 128, 0, false, 128, 32, 0, 0, OBJFREELIST",
        // RECLAIM_ACCOUNT stops at the first order that fits: 3000 takes one page with 1096 wasted.
        "3000, 0, 2, false, 3000, 1, 0, 17, OBJFREELIST",
        // Without RECLAIM_ACCOUNT it goes on to order 1.
        "3000, 0, 0, false, 3000, 2, 1, 34, OBJFREELIST",
        // 4 MiB: only order 10 fits.
        "4194304, 0, 0, false, 4194304, 1, 10, 0, OBJFREELIST",
        // 4 MiB with a ctor: the 1-byte freelist goes to kmalloc-32.
        "4194304, 0, 0, true, 4194304, 1, 10, 0, OFF_SLAB",
        // 8 KiB with a ctor: two pages, one object, no room left on the slab: OFF_SLAB.
        "8192, 0, 0, true, 8192, 1, 1, 0, OFF_SLAB",
    })
    void workedExamples(
            long size,
            long align,
            int flags,
            boolean ctor,
            long bufsize,
            int num,
            int order,
            int colour,
            FreelistMode mode) {
        Geometry.Layout g = compute(size, align, flags, ctor);
        assertNotNull(g);
        assertEquals(bufsize, g.size(), "size");
        assertEquals(num, g.num(), "num");
        assertEquals(order, g.order(), "order");
        assertEquals(colour, g.colour(), "colour");
        assertEquals(mode, g.mode(), "mode");
    }

    @Test
    void redZoneAndStoreUserGrowTheBuffer() {
        Geometry.Layout g = compute(100, 0, CacheFlags.RED_ZONE | CacheFlags.STORE_USER, false);
        // 104 rounded, +16 red zone words, +8 (REDZONE_ALIGN) user word.
        assertEquals(128, g.size());
        assertEquals(8, g.objOffset());
        // An alignment above 8 drops the debug words, as the kernel does.
        Geometry.Layout aligned = compute(100, 64, CacheFlags.RED_ZONE | CacheFlags.STORE_USER, false);
        assertEquals(128, aligned.size());
        assertEquals(0, aligned.objOffset());
        assertEquals(0, aligned.flags() & (CacheFlags.RED_ZONE | CacheFlags.STORE_USER));
    }

    @Test
    void tooLargeWithDebugWordsIsE2big() {
        assertNull(compute(4194304, 0, CacheFlags.RED_ZONE, false));
    }

    @Test
    void offSlabNeedsAnExistingKmallocCache() {
        Geometry.Layout g = Geometry.compute(PC, 4096, 0, 0, true, false, Geometry.NO_KMALLOC);
        assertNotNull(g);
        // Before kmalloc exists the 4 KiB object cannot be OFF_SLAB: ON_SLAB needs order 1 (8192 / 4097 = 1).
        assertEquals(FreelistMode.ON_SLAB, g.mode());
        assertEquals(1, g.order());
    }

    @Test
    void calculateAlignmentHalvesTheCacheLine() {
        assertEquals(8, Geometry.calculateAlignment(PC, CacheFlags.HWCACHE_ALIGN, 0, 1));
        assertEquals(16, Geometry.calculateAlignment(PC, CacheFlags.HWCACHE_ALIGN, 0, 9));
        assertEquals(32, Geometry.calculateAlignment(PC, CacheFlags.HWCACHE_ALIGN, 0, 17));
        assertEquals(64, Geometry.calculateAlignment(PC, CacheFlags.HWCACHE_ALIGN, 0, 33));
        assertEquals(64, Geometry.calculateAlignment(PC, CacheFlags.HWCACHE_ALIGN, 0, 5000));
        assertEquals(256, Geometry.calculateAlignment(PC, CacheFlags.HWCACHE_ALIGN, 256, 8));
        assertEquals(8, Geometry.calculateAlignment(PC, 0, 2, 8));
    }

    /**
     * Every size from 1 byte to 4 MiB (every size to 8 KiB, then a spread), every power-of-two alignment to 4096, with
     * and without HWCACHE_ALIGN, a ctor and RECLAIM_ACCOUNT: the layout obeys the kernel's rules.
     */
    @Test
    void gridInvariants() {
        int checked = 0;
        for (long size = 1; size <= PC.kmallocMaxSize(); size = size < 8192 ? size + 1 : size + size / 7 + 1) {
            for (long align = 0; align <= 4096; align = align == 0 ? 1 : align * 2) {
                for (int variant = 0; variant < 8; variant++) {
                    int flags = ((variant & 1) != 0 ? CacheFlags.HWCACHE_ALIGN : 0)
                            | ((variant & 4) != 0 ? CacheFlags.RECLAIM_ACCOUNT : 0);
                    boolean ctor = (variant & 2) != 0;
                    Geometry.Layout g = compute(size, align, flags, ctor);
                    assertNotNull(g, () -> "no layout");
                    checkInvariants(size, align, flags, ctor, g);
                    checked++;
                }
            }
        }
        assertTrue(checked > 100_000, "grid covered " + checked + " cases");
        assertEquals(PC.kmallocMaxSize(), 4L << 20);
    }

    private static void checkInvariants(long size, long align, int flags, boolean ctor, Geometry.Layout g) {
        String where = "size " + size + " align " + align + " flags " + flags + " ctor " + ctor + ": " + g;
        long slab = PC.slabBytes(g.order());
        assertTrue(Long.bitCount(g.align()) == 1 && g.align() >= 8 && g.align() >= align, where);
        assertEquals(0, g.size() % g.align(), where);
        assertTrue(g.size() >= size && g.size() >= 16, where);
        assertTrue(g.size() - Geometry.alignUp(size, 8) < Math.max(g.align(), 16), where);
        assertTrue(g.num() >= 1 && g.num() <= PC.slabObjMaxNum(), where);
        assertTrue(g.colourOff() == Math.max(64, g.align()), where);
        long used = g.num() * g.size() + (g.mode() == FreelistMode.ON_SLAB ? g.freelistSize() : 0);
        long left = slab - used;
        assertTrue(left >= 0, where);
        assertEquals(left / g.colourOff(), g.colour(), where);
        assertTrue(
                g.order() <= Math.max(PC.slabMaxOrder(), minOrder(g.size())) || g.mode() == FreelistMode.OFF_SLAB,
                where);
        switch (g.mode()) {
            case OBJFREELIST -> {
                assertTrue(!ctor, where);
                assertTrue(g.num() <= size, where);
            }
            case OFF_SLAB -> assertTrue(left < g.num(), "OFF_SLAB only when the freelist does not fit: " + where);
            case ON_SLAB -> {}
        }
        if (ctor) {
            assertTrue(g.mode() != FreelistMode.OBJFREELIST, where);
        }
    }

    private static int minOrder(long size) {
        int order = 0;
        while (PC.slabBytes(order) < size + 1) {
            order++;
        }
        return order;
    }
}
