package org.slab4j;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Threads allocate from several caches and kmalloc, tag each object with its owner, and hand objects to other threads
 * to free. No object is ever live twice, the counts reconcile, and shrink plus close leave nothing behind.
 */
class ConcurrencyStressTest {
    private static final int THREADS = 4;
    private static final int OPS = 60_000;

    @Test
    void crossThreadAllocFreeNeverHandsAnObjectOutTwice() throws Exception {
        SlabAllocator a = SlabAllocator.builder().cpus(THREADS).build();
        List<KmemCache> caches = List.of(
                a.createCache("s16", 16),
                a.createCache("s64", 64, 0, Set.of(SlabFlag.HWCACHE_ALIGN), null),
                a.createCache("s200", 200, 0, Set.of(), m -> m.set(JAVA_LONG, 0, 0)),
                a.createCache("s3000", 3000));
        Map<Long, Long> live = new ConcurrentHashMap<>(); // address -> the tag its owner wrote
        List<BlockingQueue<MemorySegment>> inboxes = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            inboxes.add(new ArrayBlockingQueue<>(1024));
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(THREADS);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int me = t;
            threads.add(Thread.ofPlatform().name("stress-" + t).start(() -> {
                SplittableRandom rnd = new SplittableRandom(me);
                try {
                    for (int i = 0; i < OPS; i++) {
                        int kind = rnd.nextInt(caches.size() + 1);
                        MemorySegment o =
                                kind < caches.size() ? caches.get(kind).alloc() : a.kmalloc(1 + rnd.nextInt(2000));
                        long tag = me * 1_000_000_000L + i;
                        if (live.putIfAbsent(o.address(), tag) != null) {
                            throw new AssertionError("object at 0x" + Long.toHexString(o.address()) + " live twice");
                        }
                        o.set(JAVA_LONG, 0, tag);
                        BlockingQueue<MemorySegment> to = inboxes.get(rnd.nextInt(THREADS));
                        if (!to.offer(o)) {
                            release(a, live, o);
                        }
                        MemorySegment in = inboxes.get(me).poll();
                        if (in != null) {
                            release(a, live, in);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }));
        }
        done.await();
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        for (BlockingQueue<MemorySegment> q : inboxes) {
            for (MemorySegment o; (o = q.poll()) != null; ) {
                release(a, live, o);
            }
        }
        assertTrue(live.isEmpty());
        long allocs = 0;
        long frees = 0;
        for (KmemCache c : a.caches()) {
            if (c.name().equals("kmem_cache")) {
                continue; // holds the caches' own descriptors, which stay allocated
            }
            allocs += c.allocations();
            frees += c.frees();
        }
        assertEquals(allocs, frees, "every allocation was freed");
        assertTrue(allocs >= (long) THREADS * OPS);
        for (KmemCache c : caches) {
            c.shrink(); // the workers have ended: their arrays are drained too
        }
        Map<String, SlabinfoRows.Row> rows = SlabinfoRows.parse(a.slabinfo());
        for (KmemCache c : caches) {
            SlabinfoRows.Row r = rows.get(c.name());
            assertEquals(0, r.activeObjs(), c.name());
            assertEquals(0, r.numSlabs(), c.name());
        }
        a.close();
        assertEquals(0, a.mappedBytes());
    }

    /** Checks that nobody else wrote into the object while its owner held it, then frees it. */
    private static void release(SlabAllocator a, Map<Long, Long> live, MemorySegment o) {
        Long tag = live.remove(o.address());
        assertNotNull(tag, "an object freed that was not live");
        assertEquals(tag, o.get(JAVA_LONG, 0), "the owner's tag was overwritten: the object had a second owner");
        a.kfree(o);
    }

    @Test
    void virtualThreadsShareABoundedSetOfStripes() throws Exception {
        int cpus = 2;
        try (SlabAllocator a = SlabAllocator.builder().cpus(cpus).nodes(1).build()) {
            KmemCache c = a.createCache("vt", 64);
            Set<Long> live = ConcurrentHashMap.newKeySet();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 100_000; i++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    MemorySegment[] mine = new MemorySegment[4];
                    for (int j = 0; j < mine.length; j++) {
                        mine[j] = c.alloc();
                        if (!live.add(mine[j].address())) {
                            throw new AssertionError("live twice");
                        }
                    }
                    for (MemorySegment o : mine) {
                        live.remove(o.address());
                        c.free(o);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(400_000, c.allocations());
            assertEquals(400_000, c.frees());
            SlabinfoRows.Row r = SlabinfoRows.parse(a.slabinfo()).get("vt");
            // Nothing is live: what counts as active sits in the stripes' arrays (2 x cpus, a power of two: 4 here)
            // and the shared array, however many virtual threads there were.
            long bound = 2L * cpus * r.limit() + r.shared() * r.batchcount();
            assertTrue(r.activeObjs() <= bound, r.activeObjs() + " cached > bound " + bound);
        }
    }
}
