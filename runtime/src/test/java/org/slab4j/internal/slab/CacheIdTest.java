package org.slab4j.internal.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Cache ids index every CPU's table of arrays ({@link ThreadCpu#arrays}): a program that creates and destroys caches
 * for ever must not grow those tables for ever, and an id may serve a new cache only once no CPU holds an array of the
 * destroyed cache that had it, or the new cache would take that array, objects and all, for its own.
 */
class CacheIdTest {
    private static final int ROUNDS = 2_000;

    @Test
    void cachesCreatedAndDestroyedInALoopReuseTheirIdsOnAPlatformThread() {
        SlabSystem sys = LifecycleInsideTest.boot(1);
        int largest = churn(sys, "p");
        assertTrue(largest < 64, "ids keep growing: " + largest + " after " + ROUNDS + " caches");
        assertTrue(sys.threadCpus.cpu().arrays.length < 128, "arrays: " + sys.threadCpus.cpu().arrays.length);
    }

    @Test
    void cachesCreatedAndDestroyedInALoopReuseTheirIdsOnAVirtualThread() throws Exception {
        SlabSystem sys = LifecycleInsideTest.boot(1);
        AtomicReference<Object> result = new AtomicReference<>();
        Thread.ofVirtual()
                .start(() -> {
                    try {
                        result.set(churn(sys, "v"));
                    } catch (Throwable e) {
                        result.set(e);
                    }
                })
                .join();
        assertTrue(result.get() instanceof Integer largest && largest < 64, "ids keep growing: " + result.get());
    }

    /** @return the largest id any of {@link #ROUNDS} caches got, each created, used once and destroyed */
    private static int churn(SlabSystem sys, String prefix) {
        int largest = 0;
        for (int i = 0; i < ROUNDS; i++) {
            CacheHandle h = sys.createCache(prefix + i, 64, 0, CacheFlags.NO_MERGE, null);
            SlabCache c = h.cache();
            largest = Math.max(largest, c.id);
            c.free(h, null, c.alloc(h));
            sys.destroy(h);
        }
        return largest;
    }

    /**
     * A thread that cached an object of a cache keeps that array until its next slow path, after the cache is destroyed
     * ({@link ThreadCpus#ownerReap}): a cache created meanwhile must not get the id, and once the thread gave the array
     * back, its allocations from the new cache are the new cache's objects.
     */
    @Test
    void anIdIsNotReusedWhileAThreadStillHoldsAnArrayOfItsDestroyedCache() throws Exception {
        SlabSystem sys = LifecycleInsideTest.boot(1);
        CacheHandle old = sys.createCache("old", 64, 0, CacheFlags.NO_MERGE, null);
        int oldId = old.cache().id;
        CountDownLatch cached = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<CacheHandle> next = new AtomicReference<>();
        AtomicReference<Object> failure = new AtomicReference<>();
        Thread holder = Thread.ofPlatform().start(() -> {
            try {
                SlabCache c = old.cache();
                c.free(old, null, c.alloc(old)); // stays cached in this thread's array
                cached.countDown();
                go.await();
                CacheHandle h = next.get();
                // The slot of the new cache's id, as its slow path finds it before this thread's reap has run (from a
                // constructor, say): never the destroyed cache's array.
                ArrayCache found = h.cache().arrayOf(sys.threadCpus.cpu());
                assertEquals(h.cache(), found.cache, "the new cache took the array of a destroyed one");
                MemorySegment o = h.cache().alloc(h); // the slow path: gives the old array back first
                assertEquals(h.cache(), sys.pageMap.find(o.address()).cache, "an object of another cache");
                h.cache().free(h, null, o);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        cached.await();
        sys.destroy(old);
        CacheHandle fresh = sys.createCache("fresh", 64, 0, CacheFlags.NO_MERGE, null);
        assertNotEquals(oldId, fresh.cache().id, "the id of a cache whose array a live thread still holds");
        next.set(fresh);
        go.countDown();
        holder.join();
        assertEquals(null, failure.get());
        CacheHandle later = sys.createCache("later", 64, 0, CacheFlags.NO_MERGE, null);
        assertEquals(oldId, later.cache().id, "the id, once no array of its cache is left");
    }
}
