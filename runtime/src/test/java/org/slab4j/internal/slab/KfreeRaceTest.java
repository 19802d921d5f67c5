package org.slab4j.internal.slab;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * {@code kfree} reads the handle it counts against ({@link SlabCache#kfreeHandle}) before it frees; another thread may
 * destroy that name in between. The two halves are run here with the destroy between them.
 */
class KfreeRaceTest {
    @Test
    void aKfreeWhoseHandleIsDestroyedUnderItFreesThroughTheCachesNextName() {
        SlabSystem sys = BootTest.boot();
        CacheHandle first = sys.createCache("first", 96, 0, 0, null);
        CacheHandle second = sys.createCache("second", 96, 0, 0, null);
        SlabCache c = second.cache();
        assertSame(first.cache(), c, "'second' is an alias of 'first'");
        MemorySegment o = c.alloc(second);
        Slab slab = sys.pageMap.find(o.address());
        CacheHandle h = c.kfreeHandle(); // kfree's first half: the cache's own name
        sys.destroy(first); // another thread: the cache lives on as 'second'
        assertDoesNotThrow(() -> c.free(h, slab, o)); // kfree's second half
        assertDoesNotThrow(() -> sys.destroy(second), "no object is left allocated");
    }

    @Test
    void aFreeThroughADestroyedNameIsStillRefused() {
        SlabSystem sys = BootTest.boot();
        CacheHandle first = sys.createCache("first", 96, 0, 0, null);
        CacheHandle second = sys.createCache("second", 96, 0, 0, null);
        MemorySegment o = second.cache().alloc(second);
        sys.destroy(first);
        assertThrows(IllegalStateException.class, () -> first.cache().free(first, null, o)); // KmemCache.free's path
        second.cache().free(second, null, o);
    }
}
