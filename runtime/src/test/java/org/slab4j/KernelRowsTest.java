package org.slab4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The caches come out as the real Linux 5.4.54 x86_64 SLAB slabinfo rows in shared/reference. */
class KernelRowsTest {
    private final SlabAllocator a = SlabAllocator.builder().cpus(4).build();

    @AfterEach
    void close() {
        a.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // name, objsize, objperslab, pagesperslab, limit, batchcount, shared
        "kmalloc-32, 32, 124, 1, 120, 60, 8",
        "kmalloc-64, 64, 64, 1, 120, 60, 8",
        "kmalloc-96, 128, 32, 1, 120, 60, 8",
        "kmalloc-128, 128, 32, 1, 120, 60, 8",
        "kmalloc-192, 192, 21, 1, 120, 60, 8",
        "kmalloc-256, 256, 16, 1, 120, 60, 8",
        "kmalloc-512, 512, 8, 1, 54, 27, 8",
        "kmalloc-1k, 1024, 4, 1, 54, 27, 8",
        "kmalloc-2k, 2048, 2, 1, 24, 12, 8",
        "kmalloc-4k, 4096, 1, 1, 24, 12, 8",
        "kmalloc-8k, 8192, 1, 2, 8, 4, 0",
        "kmalloc-16k, 16384, 1, 4, 8, 4, 0",
        "kmalloc-128k, 131072, 1, 32, 8, 4, 0",
        "kmalloc-256k, 262144, 1, 64, 1, 1, 0",
        "kmalloc-4M, 4194304, 1, 1024, 1, 1, 0",
    })
    void kmallocRows(String name, long objsize, long perSlab, long pages, long limit, long batch, long shared) {
        SlabinfoRows.Row r = SlabinfoRows.parse(a.slabinfo()).get(name);
        assertEquals(
                List.of(objsize, perSlab, pages, limit, batch, shared),
                List.of(r.objsize(), r.objPerSlab(), r.pagesPerSlab(), r.limit(), r.batchcount(), r.shared()),
                name);
    }

    @Test
    void kmallocCachesAreListedNewestFirstAfterKmemCache() {
        List<String> names = List.copyOf(SlabinfoRows.parse(a.slabinfo()).keySet());
        assertEquals("kmalloc-4M", names.getFirst());
        assertEquals("kmem_cache", names.getLast());
        assertEquals(
                List.of("kmalloc-256", "kmalloc-192", "kmalloc-128", "kmalloc-96", "kmalloc-64", "kmalloc-32"),
                names.subList(names.size() - 7, names.size() - 1));
    }

    @Test
    void dentryLike() {
        SlabGeometry g = a.createCache("dentry", 192, 8, Set.of(SlabFlag.RECLAIM_ACCOUNT), null)
                .geometry();
        assertEquals(new SlabGeometry(192, 192, 8, 21, 0, 1, 64, FreelistMode.OBJFREELIST), g);
    }

    @Test
    void bufferHeadLike() {
        SlabGeometry g = a.createCache("buffer_head", 104, 0, Set.of(SlabFlag.RECLAIM_ACCOUNT), null)
                .geometry();
        assertEquals(39, g.objectsPerSlab());
        assertEquals(0, g.order());
        assertEquals(FreelistMode.OBJFREELIST, g.freelistMode());
    }

    @Test
    void radixTreeNodeLike() {
        SlabGeometry g = a.createCache(
                        "radix_tree_node", 576, 0, Set.of(SlabFlag.RECLAIM_ACCOUNT, SlabFlag.PANIC), m -> {})
                .geometry();
        // OFF_SLAB is rejected because the 64 bytes left over hold the 7-byte freelist: it goes on the slab.
        assertEquals(new SlabGeometry(576, 576, 8, 7, 0, 0, 64, FreelistMode.ON_SLAB), g);
    }

    @Test
    void mmStructLike() {
        SlabGeometry g = a.createCache("mm_struct", 1088, 0, EnumSet.of(SlabFlag.HWCACHE_ALIGN), null)
                .geometry();
        assertEquals(7, g.objectsPerSlab());
        assertEquals(1, g.order());
        assertEquals(FreelistMode.OBJFREELIST, g.freelistMode());
        assertEquals(576 / 64, g.colour());
    }

    @Test
    void userCacheRowReconcilesAfterUse() {
        KmemCache c = a.createCache("obj24", 24);
        var objs = new java.lang.foreign.MemorySegment[500];
        for (int i = 0; i < objs.length; i++) {
            objs[i] = c.alloc();
        }
        Map<String, SlabinfoRows.Row> rows = SlabinfoRows.parse(a.slabinfo());
        SlabinfoRows.Row r = rows.get("obj24");
        assertEquals(r.numSlabs() * r.objPerSlab(), r.numObjs());
        assertTrue(r.activeObjs() >= 500, "active objects count array-cached ones too, as in Linux");
        for (var o : objs) {
            c.free(o);
        }
        c.shrink();
        r = SlabinfoRows.parse(a.slabinfo()).get("obj24");
        assertEquals(0, r.numObjs());
        assertEquals(0, r.numSlabs());
    }
}
