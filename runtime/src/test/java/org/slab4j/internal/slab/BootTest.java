package org.slab4j.internal.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.slab4j.FreelistMode;
import org.slab4j.internal.page.PageConfig;

/** {@code kmem_cache_init}: the boot order, and descriptors living in the {@code kmem_cache} cache. */
class BootTest {
    /** @return a freshly booted system: 4 KiB pages, one node, two CPUs, merging on, no memory limit, no reaper */
    static SlabSystem boot() {
        return new SlabSystem(new SlabSystem.Config(
                new PageConfig(4096, 64, 1), 1, 2, true, Long.MAX_VALUE, false, 1, false, false, 0, 0));
    }

    @Test
    void bootsToFullWithEveryCacheDescribedInKmemCache() {
        SlabSystem sys = boot();
        assertEquals(BootState.FULL, sys.bootState());
        var caches = sys.cachesNewestFirst();
        SlabCache kmemCache = caches.getLast();
        assertEquals("kmem_cache", kmemCache.name());
        assertEquals(21, caches.size(), "kmem_cache and the 20 kmalloc classes from 32 to 4M");
        CacheNumbers.Info info = CacheNumbers.info(kmemCache);
        assertEquals(21, info.activeObjs() - info.cached(), "one descriptor per cache, kmem_cache's own included");
        for (SlabCache c : caches) {
            assertEquals(c.name().length(), c.descriptor.getString(0).length());
            assertTrue(c.tunables() != Tunables.BOOT, c.name() + " got its real tunables at FULL");
            assertTrue(c.layout.mode() != FreelistMode.OFF_SLAB, "no kmalloc cache is OFF_SLAB");
        }
        sys.close();
    }

    @Test
    void cachesMadeAfterBootTakeOffSlabFreelistsFromKmalloc() {
        SlabSystem sys = boot();
        CacheHandle h = sys.createCache("big", 4096, 0, 0, m -> {});
        assertEquals(FreelistMode.OFF_SLAB, h.cache().layout.mode());
        assertEquals("kmalloc-32", h.cache().freelistCache.name());
        sys.close();
    }
}
