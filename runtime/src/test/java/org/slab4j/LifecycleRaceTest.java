package org.slab4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle calls ({@code shrink}, {@code destroy}, {@code close}, the reaper) against live threads, and frees that
 * present anything but the segment that was handed out. Each test reproduces a report from the outside, through the
 * public API only.
 */
class LifecycleRaceTest {

    /** Runs {@code task} on a new platform thread and waits for it, rethrowing what it threw. */
    private static void onEndedThread(ThrowingRunnable task) throws Exception {
        Throwable[] thrown = new Throwable[1];
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                task.run();
            } catch (Throwable e) {
                thrown[0] = e;
            }
        });
        t.join();
        if (thrown[0] != null) {
            throw new AssertionError("the helper thread failed", thrown[0]);
        }
    }

    /** Fails with every error the threads collected, if they collected any. */
    private static void assertNoErrors(ConcurrentLinkedQueue<Throwable> errors, String what) {
        if (!errors.isEmpty()) {
            AssertionError e = new AssertionError(what);
            errors.forEach(e::addSuppressed);
            throw e;
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static void allDistinct(List<MemorySegment> objects) {
        Set<Long> seen = new HashSet<>();
        for (MemorySegment o : objects) {
            assertTrue(seen.add(o.address()), "0x" + Long.toHexString(o.address()) + " handed out twice");
        }
    }

    @Test
    void twoShrinksRacingOverAnEndedThreadsArrayNeverHandOutAnObjectTwice() throws Exception {
        try (SlabAllocator a =
                SlabAllocator.builder().reapInterval(Duration.ZERO).build()) {
            KmemCache c = a.createCache("shrunk", 64);
            for (int round = 0; round < 2_000; round++) {
                onEndedThread(() -> {
                    List<MemorySegment> mine = new ArrayList<>();
                    for (int i = 0; i < 40; i++) {
                        mine.add(c.alloc());
                    }
                    mine.forEach(c::free); // they stay in this thread's array when it ends
                });
                CyclicBarrier go = new CyclicBarrier(2);
                ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
                Runnable shrink = () -> {
                    try {
                        go.await();
                        c.shrink();
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                };
                Thread s1 = Thread.ofPlatform().start(shrink);
                Thread s2 = Thread.ofPlatform().start(shrink);
                s1.join();
                s2.join();
                assertNoErrors(errors, "shrink failed in round " + round);
                CacheStats s = c.stats();
                assertEquals(0, s.inUseObjects(), "round " + round + ": " + s);
                assertTrue(
                        s.totalObjects() >= 0 && s.freeObjects() >= 0 && s.cachedObjects() >= 0,
                        "round " + round + ": " + s);
            }
            List<MemorySegment> held = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                held.add(c.alloc());
            }
            allDistinct(held);
            held.forEach(c::free);
        }
    }

    @Test
    void destroyRacingAThreadThatAllocatesAndFreesIsCleanAndForgetsTheCache() throws Exception {
        try (SlabAllocator a =
                SlabAllocator.builder().reapInterval(Duration.ZERO).build()) {
            for (int round = 0; round < 300; round++) {
                KmemCache c = a.createCache("raced", 128);
                AtomicBoolean stop = new AtomicBoolean();
                ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
                CountDownLatch started = new CountDownLatch(1);
                Thread worker = Thread.ofPlatform().start(() -> {
                    started.countDown();
                    while (!stop.get()) {
                        MemorySegment o;
                        try {
                            o = c.alloc();
                        } catch (IllegalStateException e) {
                            if (!e.getMessage().contains("destroyed")) {
                                errors.add(e);
                            }
                            return;
                        } catch (Throwable e) {
                            errors.add(e);
                            return;
                        }
                        try {
                            o.set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, 42);
                            c.free(o); // an object handed out is always taken back, destroyed cache or not
                        } catch (Throwable e) {
                            errors.add(e);
                            return;
                        }
                    }
                });
                started.await();
                while (true) {
                    try {
                        c.destroy();
                        break;
                    } catch (IllegalStateException e) {
                        assertTrue(e.getMessage().contains("still allocated"), e.getMessage());
                        Thread.onSpinWait();
                    }
                }
                stop.set(true);
                worker.join();
                assertNoErrors(errors, "round " + round);
                assertThrows(IllegalStateException.class, c::alloc);
            }
            // No destroyed cache is left listed (that none keeps a page is OwnershipTest's, which counts the pages).
            a.kmalloc(8); // any call on a live cache lets the ended workers' arrays be retired
            for (KmemCache k : a.caches()) {
                k.shrink();
            }
            for (KmemCache k : a.caches()) {
                assertTrue(!k.name().equals("raced"), "a destroyed cache is listed");
            }
            assertTrue(!a.slabinfo().contains("raced"), a.slabinfo());
        }
    }

    @Test
    void everyCallThatLosesARaceWithCloseGetsTheAllocatorIsClosed() throws Exception {
        for (int round = 0; round < 40; round++) {
            SlabAllocator a = SlabAllocator.builder()
                    .nodes(2)
                    .reapInterval(Duration.ofMillis(1))
                    .build();
            KmemCache c = a.createCache("closing", 96, 0, Set.of(), m -> m.fill((byte) 7));
            // Its fast free wipes 4 KiB after the push, where close() can unmap the page under the wipe.
            KmemCache w = a.createCache("wiping", 4096, 0, Set.of(SlabFlag.INIT_ON_FREE), null);
            // Its zalloc zeroes 4 KiB after the pop, where close() can unmap the page under the memset.
            KmemCache z = a.createCache("zeroing", 4096);
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            CountDownLatch started = new CountDownLatch(6);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int me = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    started.countDown();
                    int i = 0;
                    try {
                        while (true) {
                            i++;
                            switch (me) {
                                case 0 -> c.free(c.alloc());
                                case 1 -> a.kfree(a.kmalloc(1 + (i % 5000)));
                                case 3 -> w.free(w.alloc());
                                case 4 -> z.free(z.zalloc());
                                case 5 -> { // binding to the other node first gives back this thread's arrays
                                    for (int j = 0; j < 20; j++) {
                                        c.free(c.alloc());
                                    }
                                    a.bindCurrentThread(1 - a.currentNode());
                                }
                                default -> {
                                    KmemCache k = a.createCache("c" + i, 24 + (i % 3000));
                                    List<MemorySegment> l = new ArrayList<>();
                                    for (int j = 0; j < 50; j++) {
                                        l.add(k.alloc());
                                    }
                                    l.forEach(k::free);
                                    k.shrink();
                                    k.destroy();
                                }
                            }
                        }
                    } catch (IllegalStateException e) {
                        if (!String.valueOf(e.getMessage()).contains("the allocator is closed")) {
                            errors.add(e);
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }));
            }
            started.await();
            Thread.sleep(round % 4);
            a.close();
            for (Thread t : threads) {
                t.join();
            }
            assertNoErrors(errors, "round " + round);
            assertEquals(0, a.mappedBytes());
        }
    }

    /**
     * A merged cache lives on under two names at least while another thread keeps adding an alias and destroying the
     * oldest: every {@code kfree} of its objects is accepted, also one that overlaps the destroy of the name it was
     * about to be counted against.
     */
    @Test
    void kfreeOfALiveMergedCachesObjectIsAcceptedWhileAnAliasIsDestroyed() throws Exception {
        try (SlabAllocator a =
                SlabAllocator.builder().reapInterval(Duration.ZERO).build()) {
            AtomicReference<KmemCache> current = new AtomicReference<>(a.createCache("alias-1", 96));
            KmemCache first = a.createCache("alias-0", 96);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger renames = new AtomicInteger();
            Thread renamer = Thread.ofPlatform().start(() -> {
                KmemCache older = first;
                for (int i = 2; !stop.get(); i++) {
                    KmemCache next = a.createCache("alias-" + i, 96); // merges into the same cache
                    KmemCache oldest = older;
                    older = current.getAndSet(next);
                    oldest.destroy(); // only drops a name: the cache lives on under the two newer ones
                    renames.incrementAndGet();
                }
            });
            try {
                while (renames.get() < 3000) {
                    MemorySegment object;
                    try {
                        object = current.get().alloc();
                    } catch (IllegalStateException e) { // that name was destroyed since the read
                        continue;
                    }
                    a.kfree(object);
                }
            } finally {
                stop.set(true);
                renamer.join();
            }
        }
    }

    /**
     * Counts read while another thread fills, empties and shrinks a cache are approximate, but never negative: an object
     * that a flush moves from an array to its slab between the readings is not counted twice.
     */
    @Test
    void countsReadDuringChurnAndShrinkAreNeverNegative() throws Exception {
        try (SlabAllocator a =
                SlabAllocator.builder().reapInterval(Duration.ofMillis(1)).build()) {
            KmemCache c = a.createCache("churned", 64);
            AtomicBoolean stop = new AtomicBoolean();
            Thread churn = Thread.ofPlatform().start(() -> {
                List<MemorySegment> held = new ArrayList<>();
                while (!stop.get()) {
                    for (int i = 0; i < 500; i++) {
                        held.add(c.alloc());
                    }
                    held.forEach(c::free);
                    held.clear();
                    c.shrink();
                }
            });
            try {
                for (int i = 0; i < 3000; i++) {
                    CacheStats s = c.stats();
                    assertTrue(s.inUseObjects() >= 0 && s.cachedObjects() >= 0 && s.freeObjects() >= 0, s.toString());
                }
            } finally {
                stop.set(true);
                churn.join();
            }
        }
    }

    @Test
    void aStaleSecondFreeOfAnObjectWhoseSlabWasDestroyedIsRefused() {
        try (SlabAllocator a = SlabAllocator.builder().build()) {
            KmemCache c = a.createCache("stale", 64);
            MemorySegment s1 = c.alloc();
            c.free(s1);
            c.shrink(); // s1's slab is destroyed
            List<MemorySegment> held = new ArrayList<>();
            MemorySegment s2 = null;
            for (int i = 0; i < 10_000 && s2 == null; i++) {
                MemorySegment o = c.alloc();
                held.add(o);
                if (o.address() == s1.address()) {
                    s2 = o;
                }
            }
            assertNotNull(s2, "no new object at the old address");
            MemorySegment stale = s1;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.free(stale));
            assertTrue(e.getMessage().contains("'stale'"), e.getMessage());
            // s2 is still allocated: freeing it works once, and nobody else was handed its memory meanwhile.
            MemorySegment next = c.alloc();
            assertTrue(next.address() != s2.address());
            held.add(next);
            held.forEach(c::free);
        }
    }

    @Test
    @SuppressWarnings("restricted") // reinterpret: a segment made from the address, which a free must refuse
    void viewsOfAnObjectAreNotTheObjectAndAreRefused() {
        try (SlabAllocator a = SlabAllocator.builder().build()) {
            KmemCache c = a.createCache("viewed", 64);
            MemorySegment o = c.alloc();
            List<MemorySegment> views = List.of(
                    o.asSlice(0, 32),
                    o.asSlice(0),
                    o.asReadOnly(),
                    MemorySegment.ofAddress(o.address()),
                    MemorySegment.ofAddress(o.address()).reinterpret(64));
            for (MemorySegment v : views) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.free(v));
                assertTrue(e.getMessage().contains("'viewed'"), e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> a.kfree(v));
            }
            assertEquals(1, c.stats().inUseObjects());
            c.free(o);
            assertEquals(0, c.stats().inUseObjects());
        }
    }

    @Test
    void aClosedAllocatorIsCollectedWhileAThreadThatUsedItLives() throws Exception {
        AtomicReference<SlabAllocator> handOff =
                new AtomicReference<>(SlabAllocator.builder().build());
        WeakReference<SlabAllocator> ref = new WeakReference<>(handOff.get());
        // The allocator's state with every slab's segments: what a thread-local value would keep reachable.
        WeakReference<Object> state = new WeakReference<>(handOff.get().sys);
        CountDownLatch used = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread user = Thread.ofPlatform().start(() -> {
            use(handOff.getAndSet(null)); // the thread keeps no reference of its own
            used.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        used.await();
        ref.get().close();
        for (int i = 0; i < 50 && (ref.get() != null || state.get() != null); i++) {
            System.gc();
            Thread.sleep(20);
        }
        try {
            assertNull(ref.get(), "the closed allocator is still reachable");
            assertNull(state.get(), "the closed allocator's state is still reachable");
        } finally {
            release.countDown();
            user.join();
        }
    }

    private static void use(SlabAllocator a) {
        KmemCache c = a.createCache("collected", 64);
        c.free(c.alloc());
        a.kfree(a.kmalloc(100));
        a.bindCurrentThread(0);
        a.drainCurrentThread();
    }

    @Test
    void manyShortLivedThreadsThenOneMoreStillWorks() throws Exception {
        try (SlabAllocator a =
                SlabAllocator.builder().reapInterval(Duration.ZERO).build()) {
            KmemCache c = a.createCache("churned", 48);
            for (int i = 0; i < 400; i++) {
                onEndedThread(() -> {
                    c.free(c.alloc());
                    a.kfree(a.kmalloc(200));
                });
            }
            onEndedThread(() -> {
                List<MemorySegment> l = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    l.add(c.alloc());
                }
                allDistinct(l);
                l.forEach(c::free);
            });
            c.shrink();
            assertEquals(0, c.stats().inUseObjects());
            assertEquals(0, c.stats().cachedObjects(), "ended threads' arrays were given back");
        } catch (Exception e) {
            fail(e);
        }
    }

    /**
     * Everything at once, with the reaper running every millisecond: threads that allocate, hand objects to each other
     * and free them, threads that end with objects in their arrays, shrinks, tunes, caches created and destroyed, and at
     * the end a close. No object is ever held twice (each holder's tag survives until its free), no internal error
     * escapes, and every call that lost to close says so.
     */
    @Test
    void shrinkDestroyTuneCloseAndTheReaperAgainstLiveAndDyingThreads() throws Exception {
        SlabAllocator a =
                SlabAllocator.builder().reapInterval(Duration.ofMillis(1)).build();
        KmemCache c = a.createCache("chaos", 80);
        java.util.Map<Long, Long> live = new java.util.concurrent.ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<MemorySegment> handOff = new ConcurrentLinkedQueue<>();
        AtomicBoolean closing = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        Runnable worker = () -> {
            java.util.SplittableRandom rnd =
                    new java.util.SplittableRandom(Thread.currentThread().threadId());
            try {
                for (int i = 0; i < 20_000 && !closing.get(); i++) {
                    MemorySegment o = rnd.nextBoolean() ? c.alloc() : a.kmalloc(1 + rnd.nextInt(300));
                    long tag = Thread.currentThread().threadId() << 32 | i;
                    if (live.putIfAbsent(o.address(), tag) != null) {
                        throw new AssertionError("0x" + Long.toHexString(o.address()) + " held twice");
                    }
                    o.set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, tag);
                    handOff.add(o);
                    MemorySegment mine = rnd.nextInt(3) == 0 ? null : handOff.poll();
                    if (mine != null) {
                        Long expected = live.remove(mine.address());
                        assertEquals(expected, mine.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0));
                        a.kfree(mine);
                    }
                }
            } catch (IllegalStateException e) {
                if (!closing.get() || !String.valueOf(e.getMessage()).contains("closed")) {
                    errors.add(e);
                }
            } catch (Throwable e) {
                errors.add(e);
            }
        };
        for (int t = 0; t < 3; t++) {
            threads.add(Thread.ofPlatform().start(worker));
        }
        Runnable dying = () -> {
            List<MemorySegment> mine = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                mine.add(c.alloc());
            }
            mine.forEach(c::free);
        };
        Runnable lifecycle = () -> {
            try {
                for (int i = 0; !closing.get(); i++) {
                    Thread.ofPlatform().start(dying).join(); // a thread that ends with objects in its arrays
                    c.shrink();
                    a.tune("chaos", 10 + i % 100, 5, 1 + i % 4);
                    KmemCache k =
                            a.createCache("short-" + Thread.currentThread().threadId() + "-" + i, 16 + i % 500);
                    k.free(k.alloc());
                    k.shrink();
                    k.destroy();
                }
            } catch (IllegalStateException e) {
                if (!closing.get() || !String.valueOf(e.getMessage()).contains("closed")) {
                    errors.add(e);
                }
            } catch (Throwable e) {
                errors.add(e);
            }
        };
        List<Thread> lifecycles = List.of(
                Thread.ofPlatform().start(lifecycle), Thread.ofPlatform().start(lifecycle));
        for (Thread t : threads) {
            t.join();
        }
        closing.set(true);
        for (Thread t : lifecycles) {
            t.join();
        }
        assertNoErrors(errors, "the lifecycle races failed");
        for (MemorySegment o; (o = handOff.poll()) != null; ) {
            Long expected = live.remove(o.address());
            assertEquals(expected, o.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0));
            a.kfree(o);
        }
        assertEquals(0, c.stats().inUseObjects());
        a.close();
        assertEquals(0, a.mappedBytes());
    }
}
