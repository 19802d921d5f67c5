package org.slab4j.internal.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;
import org.slab4j.SlabStatistics;
import org.slab4j.internal.page.PageConfig;

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

    /**
     * A destroyed cache is garbage once its id serves again: the allocator forgets its handles (its own name's and its
     * aliases'), or a program that creates and destroys caches for ever keeps every one of them, with its nodes, its
     * shared arrays and its tables.
     */
    @Test
    void cachesCreatedAndDestroyedInALoopAreNotKept() throws Exception {
        SlabSystem sys = LifecycleInsideTest.boot(1);
        List<WeakReference<SlabCache>> destroyed = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            CacheHandle h = sys.createCache("kept" + i, 64, 0, 0, null);
            CacheHandle alias = sys.createCache("alias" + i, 64, 0, 0, null); // merged into it
            assertEquals(h.cache(), alias.cache());
            h.cache().free(alias, null, h.cache().alloc(alias));
            sys.destroy(alias);
            sys.destroy(h);
            destroyed.add(new WeakReference<>(h.cache()));
        }
        destroyed.removeLast(); // its id waits for the next cache
        for (int i = 0; i < 50 && destroyed.stream().anyMatch(r -> r.get() != null); i++) {
            System.gc();
            Thread.sleep(20);
        }
        long kept = destroyed.stream().filter(r -> r.get() != null).count();
        assertEquals(0, kept, "destroyed caches still reachable from their allocator");
    }

    /**
     * A cache that outlives its aliases (a {@code @Slab} class redeployed while its previous loader's type still holds
     * the cache: each new one merges in as an alias) does not keep them: the cache holds its live handles, each
     * thread's array counts for as many aliases as are alive at once, and the counts stay right: a destroyed alias
     * still reads its own, a later alias starts from zero, and the cache's totals keep every alias's.
     */
    @Test
    void aliasesCreatedAndDestroyedInALoopOnALiveCacheAreNotKept() {
        SlabSystem sys = LifecycleInsideTest.boot(1);
        CacheHandle base = sys.createCache("base", 64, 0, 0, null);
        SlabCache c = base.cache();
        c.free(base, null, c.alloc(base));
        CacheHandle dead = null;
        for (int i = 0; i < ROUNDS; i++) {
            CacheHandle alias = sys.createCache("alias" + i, 64, 0, 0, null);
            assertEquals(c, alias.cache());
            assertEquals(0, sys.counts(alias)[0], "a new alias counts what an alias before it allocated");
            c.free(alias, null, c.alloc(alias));
            c.free(alias, null, c.alloc(alias));
            sys.destroy(alias);
            if (i == 0) {
                dead = alias;
            }
        }
        assertTrue(c.handles.size() < 4, "handles of a live cache: " + c.handles.size());
        ArrayCache ac = c.arrayOf(sys.threadCpus.cpu());
        assertTrue(ac.counts.length < 8, "alias counts of this thread's array: " + ac.counts.length);
        assertEquals(2, sys.counts(dead)[0], "a destroyed alias's own allocations");
        assertEquals(2, sys.counts(dead)[1], "a destroyed alias's own frees");
        long allocs = sys.statistics(base).allocHit() + sys.statistics(base).allocMiss();
        assertEquals(1 + 2L * ROUNDS, allocs, "the cache's allocations, its aliases' included");
    }

    /**
     * A cache's statistics, read while another thread destroys aliases of it, count every allocation made before the
     * reading: a destroyed alias's counts move from its handle to the cache's sum of those that left, and a reading that
     * took that sum before the move and the handles after it missed them (allochit fell by the alias's allocations).
     */
    @Test
    void statisticsReadWhileAliasesAreDestroyedKeepTheirAllocations() throws Exception {
        SlabSystem sys = LifecycleInsideTest.boot(1);
        CacheHandle base = sys.createCache("base", 64, 0, 0, null);
        SlabCache c = base.cache();
        AtomicLong allocated = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread churner = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < 20 * ROUNDS && !stop.get(); i++) {
                    CacheHandle alias = sys.createCache("alias" + i, 64, 0, 0, null);
                    for (int j = 0; j < 100; j++) {
                        c.free(alias, null, c.alloc(alias));
                    }
                    allocated.addAndGet(100);
                    sys.destroy(alias);
                }
            } catch (Throwable e) {
                failed.set(e);
            } finally {
                stop.set(true);
            }
        });
        long missed = 0;
        try {
            while (!stop.get() && missed == 0) {
                long before = allocated.get();
                SlabStatistics s = sys.statistics(base);
                missed = Math.max(0, before - (s.allocHit() + s.allocMiss() + s.nodeAllocs()));
            }
        } finally {
            stop.set(true);
            churner.join();
        }
        assertEquals(null, failed.get());
        assertEquals(0, missed, "allocations made before a reading of the statistics and not counted in it");
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

    /**
     * Caches destroyed and created for ever (so their ids serve again) while virtual threads (stripes, which destroy
     * drains after it has released {@code slab_mutex}), platform threads, a constructor that allocates from inside a
     * refill (its CPU busy: nobody retires its arrays then) and reap passes (reading each stripe's slot of each live
     * cache's id; run by a thread of the test's, so that they stop before the lists are walked) use them: every object comes from the cache it was asked of, none is handed out
     * twice, no call fails but with "destroyed", and once everything ended no page is kept by a dead cache.
     */
    @Test
    void reusedIdsNeverMixTwoCachesObjectsWhileThreadsStripesConstructorsAndTheReaperRace() throws Exception {
        SlabSystem sys = new SlabSystem(new SlabSystem.Config(
                new PageConfig(4096, 64, 1), 1, 2, true, Long.MAX_VALUE, false, 1, false, false, 0, 0));
        int slots = 3;
        AtomicReferenceArray<CacheHandle> current = new AtomicReferenceArray<>(slots);
        for (int i = 0; i < slots; i++) {
            current.set(i, sys.createCache("slot" + i + "-0", 64, 0, CacheFlags.NO_MERGE, null));
        }
        Set<Long> held = ConcurrentHashMap.newKeySet();
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        // Grown (and its constructor run) inside the platform worker's refill: the nested allocations find the slot
        // caches' arrays of a busy CPU.
        CacheHandle outer = sys.createCache("outer", 256, 0, CacheFlags.NO_MERGE, seg -> {
            for (int i = 0; i < slots; i++) {
                useOnce(sys, current.get(i), held, errors);
            }
        });
        Runnable churn = () -> {
            int round = 0;
            while (!stop.get()) {
                for (int i = 0; i < slots; i++) {
                    useOnce(sys, current.get(i), held, errors);
                }
                if (++round % 64 == 0) {
                    sys.threadCpus.drainCurrentThread();
                }
            }
        };
        Runnable grow = () -> {
            while (!stop.get()) {
                List<MemorySegment> objects = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    objects.add(outer.cache.alloc(outer));
                }
                objects.forEach(o -> outer.cache.free(outer, null, o));
                sys.shrink(outer); // its free slabs go: the next round grows again
            }
        };
        List<Thread> workers = List.of(
                Thread.ofVirtual().start(churn),
                Thread.ofVirtual().start(churn),
                Thread.ofPlatform().start(churn),
                Thread.ofPlatform().start(grow),
                Thread.ofPlatform().start(() -> {
                    while (!stop.get()) {
                        sys.cacheReap();
                    }
                }));
        List<CacheHandle> refused = new ArrayList<>();
        for (int round = 1; round <= 1_500 && errors.isEmpty(); round++) {
            int i = round % slots;
            CacheHandle old =
                    current.getAndSet(i, sys.createCache("slot" + i + "-" + round, 64, 0, CacheFlags.NO_MERGE, null));
            try {
                sys.destroy(old);
            } catch (IllegalStateException e) { // a worker held an object: destroy it once they have stopped
                refused.add(old);
            }
        }
        stop.set(true);
        for (Thread t : workers) {
            t.join(Duration.ofMinutes(1));
            assertTrue(!t.isAlive(), "a worker hangs");
        }
        assertEquals(List.of(), List.copyOf(errors));
        sys.threadCpus.retireDeadCpus();
        for (CacheHandle h : refused) {
            sys.destroy(h);
        }
        sys.shrink(outer);
        LifecycleInsideTest.assertListsConsistent(sys);
        LifecycleInsideTest.assertEveryPageInALiveSlab(sys);
        sys.close();
    }

    /** Allocates a few objects of {@code h}, checks that each is {@code h}'s and held by no one else, frees them. */
    private static void useOnce(SlabSystem sys, CacheHandle h, Set<Long> held, Queue<Throwable> errors) {
        List<MemorySegment> objects = new ArrayList<>();
        try {
            for (int j = 0; j < 4; j++) {
                MemorySegment o = h.cache.alloc(h);
                objects.add(o);
                Slab slab = sys.pageMap.find(o.address());
                if (slab == null || slab.cache != h.cache) {
                    errors.add(new AssertionError("an object of " + (slab == null ? "no slab" : slab.cache.name)
                            + " from " + h.cache.name + " (id " + h.cache.id + ")"));
                }
                if (!held.add(o.address())) {
                    errors.add(new AssertionError("an object of " + h.cache.name + " handed out twice"));
                }
            }
        } catch (IllegalStateException e) {
            if (!String.valueOf(e.getMessage()).contains("destroyed")) {
                errors.add(e);
            }
        } catch (Throwable e) {
            errors.add(e);
        } finally {
            for (MemorySegment o : objects) {
                held.remove(o.address());
                try {
                    h.cache.free(h, null, o); // an object handed out is always taken back, destroyed cache or not
                } catch (Throwable e) {
                    errors.add(e);
                }
            }
        }
    }
}
