package org.slab4j.internal.slab;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.slab4j.internal.slab.LifecycleInsideTest.assertEveryPageInALiveSlab;
import static org.slab4j.internal.slab.LifecycleInsideTest.assertListsConsistent;
import static org.slab4j.internal.slab.LifecycleInsideTest.boot;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.slab4j.SlabCtor;

/** Slow paths re-entered by a cache constructor, seen from inside. */
class ReentryInsideTest {
    /**
     * A constructor that binds its platform thread to another node while the thread's refill grows a slab: the refill
     * then fills the array with the old node's objects under the new node's label, and the next drain puts them on the
     * new node's lists (a slab on the wrong node's list, its counts below zero, lists changed without their lock).
     */
    @Test
    void aBindFromInsideAConstructorPutsNoSlabOnAnotherNodesList() {
        SlabSystem sys = boot(2);
        sys.threadCpus.bindCurrentThread(0);
        AtomicBoolean once = new AtomicBoolean();
        CacheHandle h = sys.createCache("binds", 64, 0, 0, seg -> {
            if (once.compareAndSet(false, true)) {
                try {
                    sys.threadCpus.bindCurrentThread(1);
                } catch (IllegalStateException refused) {
                    // refusing the bind is one way out
                }
            }
        });
        List<MemorySegment> objects = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            objects.add(h.cache.alloc(h));
        }
        for (MemorySegment o : objects) {
            h.cache.free(h, null, o);
        }
        sys.threadCpus.drainCurrentThread();
        assertListsConsistent(sys);
    }

    /**
     * A virtual thread's slow path holds its stripe's lock while a constructor runs; a constructor that then takes
     * {@code slab_mutex} (slabinfo, createCache, tune, a report) met a destroy that held {@code slab_mutex} and waited
     * for that stripe's lock to drain the array of its cache there: both waited for ever, and so did every later
     * report, the exit report included.
     */
    @Test
    void aConstructorOnAVirtualThreadThatTakesSlabMutexDoesNotDeadlockADestroy() throws Exception {
        SlabSystem sys = boot(1);
        CacheHandle other = sys.createCache("other", 64, 0, CacheFlags.NO_MERGE, null);
        CountDownLatch inCtor = new CountDownLatch(1);
        Thread[] destroyer = new Thread[1];
        AtomicBoolean once = new AtomicBoolean();
        CacheHandle h = sys.createCache("constructed", 64, 0, 0, seg -> {
            if (once.compareAndSet(false, true)) {
                inCtor.countDown();
                ThreadCpu stripe = sys.threadCpus.cpu();
                while (destroyer[0] == null || !stripe.lock.hasQueuedThread(destroyer[0])) {
                    Thread.onSpinWait(); // until the destroy waits for this stripe's lock
                }
                sys.slabinfo();
            }
        });
        Thread v = Thread.ofVirtual().start(() -> {
            other.cache.free(other, null, other.cache.alloc(other)); // "other" now has an array on this stripe
            h.cache.free(h, null, h.cache.alloc(h));
        });
        inCtor.await();
        destroyer[0] = Thread.ofPlatform().start(() -> sys.destroy(other));
        v.join(Duration.ofMinutes(1));
        destroyer[0].join(Duration.ofMinutes(1));
        assertFalse(v.isAlive() || destroyer[0].isAlive(), "the constructor and the destroy wait for each other");
        sys.destroy(h);
        assertListsConsistent(sys);
        assertEveryPageInALiveSlab(sys);
    }

    /**
     * Two virtual threads of different stripes, each in a constructor (so under its stripe's lock), each shrink a cache
     * cached on the other's stripe: a shrink waiting for the other stripe's lock waited for ever, as each holder waited
     * for the other. A shrink from inside a slow path skips a stripe whose lock another thread holds: what that stripe
     * caches stays cached, as a live platform thread's array does.
     */
    @Test
    void constructorsOnTwoStripesThatShrinkEachOthersCachesDoNotDeadlock() throws Exception {
        SlabSystem sys = boot(1);
        constructorsOnTwoStripes(sys, sys::shrink);
        assertListsConsistent(sys);
        assertEveryPageInALiveSlab(sys);
    }

    /**
     * As {@link #constructorsOnTwoStripesThatShrinkEachOthersCachesDoNotDeadlock}, with destroys: each constructor
     * destroys a cache (none of its objects allocated) that is cached on the other's stripe. Destroy's drain, outside
     * {@code slab_mutex} since it may wait for a stripe, still waited for every stripe's lock, so each waited for the
     * other's for ever. From inside a constructor it now skips a stripe another thread holds, and the reaper drains the
     * dead cache's array there: no page stays with a destroyed cache.
     */
    @Test
    void constructorsOnTwoStripesThatDestroyEachOthersCachesDoNotDeadlock() throws Exception {
        SlabSystem sys = boot(1);
        CacheHandle[] xy = constructorsOnTwoStripes(sys, sys::destroy);
        sys.cacheReap(); // the arrays of x and y that the destroys skipped
        assertTrue(
                xy[0].cache.arrays.isEmpty() && xy[1].cache.arrays.isEmpty(), "a dead cache's array stays on a stripe");
        assertListsConsistent(sys);
        assertEveryPageInALiveSlab(sys);
    }

    /**
     * Runs two virtual threads on the two stripes of {@code sys} (a virtual thread's is its id's lowest bit): each
     * caches an object of its own cache ({@code x} on the even stripe, {@code y} on the odd one), then allocates from a
     * cache whose constructor waits until both constructors run and then applies {@code action} to the other thread's
     * cache. Asserts that both threads end.
     *
     * @return {@code x} and {@code y}
     */
    private static CacheHandle[] constructorsOnTwoStripes(SlabSystem sys, Consumer<CacheHandle> action)
            throws InterruptedException {
        CacheHandle x = sys.createCache("x", 64, 0, CacheFlags.NO_MERGE, null);
        CacheHandle y = sys.createCache("y", 64, 0, CacheFlags.NO_MERGE, null);
        CountDownLatch bothInCtors = new CountDownLatch(2);
        CacheHandle c1 = sys.createCache("c1", 64, 0, 0, constructorThatRuns(bothInCtors, () -> action.accept(y)));
        CacheHandle c2 = sys.createCache("c2", 64, 0, 0, constructorThatRuns(bothInCtors, () -> action.accept(x)));
        Runnable task = () -> {
            boolean even = (Thread.currentThread().threadId() & 1) == 0;
            CacheHandle cached = even ? x : y; // the cache the other stripe's constructor acts on
            CacheHandle constructed = even ? c1 : c2;
            cached.cache.free(cached, null, cached.cache.alloc(cached)); // an array of it on this stripe
            constructed.cache.free(constructed, null, constructed.cache.alloc(constructed));
        };
        Thread[] threads = new Thread[2];
        while (threads[0] == null || threads[1] == null) {
            Thread t = Thread.ofVirtual().unstarted(task);
            threads[(int) (t.threadId() & 1)] = t;
        }
        assertTrue(sys.threadCpus.stripe(threads[0], 0) != sys.threadCpus.stripe(threads[1], 0), "two stripes");
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join(Duration.ofMinutes(1));
        }
        assertFalse(threads[0].isAlive() || threads[1].isAlive(), "the two constructors wait for each other");
        return new CacheHandle[] {x, y};
    }

    /** @return a constructor that, the first time, waits until two constructors run, then runs {@code action} */
    private static SlabCtor constructorThatRuns(CountDownLatch both, Runnable action) {
        AtomicBoolean once = new AtomicBoolean();
        return seg -> {
            if (once.compareAndSet(false, true)) {
                both.countDown();
                try {
                    both.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                action.run();
            }
        };
    }

    /**
     * A virtual thread's refill grows a slab, and the constructor destroys the cache (no object is allocated yet): the
     * destroy drains the stripe under the lock the refill holds, before the refill fills the array with the new slab's
     * objects. Nobody drains a dead cache's stripe array after that (the reaper walks live caches), so those objects,
     * and the slab's pages, stayed there for ever.
     */
    @Test
    void aConstructorOnAVirtualThreadThatDestroysItsOwnCacheLeavesNoSlabOfIt() throws Exception {
        SlabSystem sys = boot(1);
        CacheHandle[] self = new CacheHandle[1];
        AtomicBoolean once = new AtomicBoolean();
        self[0] = sys.createCache("self-destroying", 64, 0, 0, seg -> {
            if (once.compareAndSet(false, true)) {
                sys.destroy(self[0]);
            }
        });
        CacheHandle h = self[0];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread v = Thread.ofVirtual().start(() -> {
            try {
                h.cache.free(
                        h, null, h.cache.alloc(h)); // the allocation overlapped the destroy: its free is taken back
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        v.join(Duration.ofMinutes(1));
        assertFalse(v.isAlive(), "the allocation did not return");
        assertNull(failure.get());
        assertListsConsistent(sys);
        assertEveryPageInALiveSlab(sys);
    }
}
