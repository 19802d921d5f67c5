package org.slab4j;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * 8 platform threads on 2 nodes and 1,000 virtual threads allocate mixed sizes and free each other's objects across
 * nodes while the reaper runs. No object is ever live twice, the counts reconcile, and once everything is freed the
 * reaper gives the memory back.
 */
class NumaStressTest {
    private static final int PLATFORM = 8;
    private static final int VIRTUAL = 1_000;
    private static final long RUN_NANOS = Duration.ofSeconds(2).toNanos();

    @Test
    void mixedThreadsAcrossNodes() throws Exception {
        try (SlabAllocator a = SlabAllocator.builder()
                .nodes(2)
                .cpus(4)
                .reapInterval(Duration.ofMillis(100))
                .build()) {
            List<KmemCache> caches = List.of(
                    a.createCache("n32", 32),
                    a.createCache("n100", 100, 0, Set.of(), m -> m.set(JAVA_LONG, 0, -1)),
                    a.createCache("n500", 500, 0, Set.of(SlabFlag.HWCACHE_ALIGN), null),
                    a.createCache("n2000", 2000));
            ConcurrentHashMap<Long, Long> live = new ConcurrentHashMap<>();
            List<ConcurrentLinkedQueue<MemorySegment>> inboxes = new ArrayList<>();
            for (int i = 0; i < PLATFORM; i++) {
                inboxes.add(new ConcurrentLinkedQueue<>());
            }
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long end = System.nanoTime() + RUN_NANOS;
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < PLATFORM; t++) {
                int me = t;
                threads.add(Thread.ofPlatform().start(() -> run(a, caches, live, inboxes, me, me % 2, end, failure)));
            }
            for (int v = 0; v < VIRTUAL; v++) {
                int me = PLATFORM + v;
                threads.add(Thread.ofVirtual().start(() -> run(a, caches, live, inboxes, me, -1, 0, failure)));
            }
            for (Thread t : threads) {
                t.join();
            }
            if (failure.get() != null) {
                throw new AssertionError("a worker failed", failure.get());
            }
            for (ConcurrentLinkedQueue<MemorySegment> q : inboxes) {
                for (MemorySegment o; (o = q.poll()) != null; ) {
                    release(a, live, o);
                }
            }
            assertTrue(live.isEmpty(), live.size() + " objects never freed");
            a.drainCurrentThread(); // this thread freed the leftovers and now only waits
            for (KmemCache c : a.caches()) {
                if (c.name().equals("kmem_cache")) {
                    continue;
                }
                CacheStats s = c.stats();
                assertEquals(s.allocations(), s.frees(), c.name());
                assertEquals(0, s.inUseObjects(), c.name());
                assertEquals(s.totalObjects(), s.inUseObjects() + s.cachedObjects() + s.freeObjects(), c.name());
            }
            assertTrue(caches.getFirst().allocations() > 10_000, "the run did work");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (a.mappedBytes() > 4L << 20 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(4L << 20, a.mappedBytes(), "only the allocator's own descriptors stay mapped");
        }
    }

    private static void run(
            SlabAllocator a,
            List<KmemCache> caches,
            ConcurrentHashMap<Long, Long> live,
            List<ConcurrentLinkedQueue<MemorySegment>> inboxes,
            int me,
            int node,
            long end,
            AtomicReference<Throwable> failure) {
        try {
            if (node >= 0) {
                a.bindCurrentThread(node);
            }
            SplittableRandom rnd = new SplittableRandom(me);
            for (long i = 0; end == 0 ? i < 200 : System.nanoTime() < end; i++) {
                int kind = rnd.nextInt(caches.size() + 1);
                MemorySegment o = kind < caches.size() ? caches.get(kind).alloc() : a.kmalloc(1 + rnd.nextInt(4000));
                long tag = ((long) me << 32) | (i & 0xFFFF_FFFFL);
                if (live.putIfAbsent(o.address(), tag) != null) {
                    throw new AssertionError("object at 0x" + Long.toHexString(o.address()) + " is live twice");
                }
                o.set(JAVA_LONG, 0, tag);
                if (rnd.nextInt(4) == 0) {
                    release(a, live, o);
                } else {
                    inboxes.get(rnd.nextInt(inboxes.size())).add(o);
                }
                if (node >= 0) {
                    for (int k = 0; k < 4; k++) {
                        MemorySegment in = inboxes.get(me).poll();
                        if (in == null) {
                            break;
                        }
                        release(a, live, in);
                    }
                }
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    private static void release(SlabAllocator a, ConcurrentHashMap<Long, Long> live, MemorySegment o) {
        long tag = o.get(JAVA_LONG, 0);
        Long expected = live.remove(o.address());
        if (expected == null || expected != tag) {
            throw new AssertionError("object at 0x" + Long.toHexString(o.address()) + " was changed while live");
        }
        a.kfree(o);
    }
}
