package org.slab4j;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Seeded random use of the public API with invariants after every step, and failure injection. */
class FaultAndFuzzTest {

    /** Random caches, sizes, alignments, flags, alloc/free orders and bad input; invariants checked at every step. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 20261122})
    void randomUseKeepsEveryInvariant(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        try (SlabAllocator a = SlabAllocator.builder()
                .cpus(1 + rnd.nextInt(4))
                .merge(rnd.nextBoolean())
                .freelistRandom(rnd.nextBoolean())
                .randomSeed(seed)
                .reapInterval(Duration.ZERO)
                .build()) {
            List<KmemCache> caches = new ArrayList<>();
            Map<KmemCache, List<MemorySegment>> live = new HashMap<>();
            Map<KmemCache, Boolean> wiped = new HashMap<>();
            for (int step = 0; step < 4000; step++) {
                String where = "seed " + seed + " step " + step;
                int op = rnd.nextInt(100);
                if (caches.isEmpty() || op < 3) {
                    long size = 1 + (rnd.nextInt(4) == 0 ? rnd.nextLong(70_000) : rnd.nextLong(600));
                    long align = rnd.nextInt(3) == 0 ? 1L << rnd.nextInt(13) : 0;
                    EnumSet<SlabFlag> flags = EnumSet.noneOf(SlabFlag.class);
                    for (SlabFlag f : SlabFlag.values()) {
                        if (rnd.nextInt(6) == 0) {
                            flags.add(f);
                        }
                    }
                    SlabCtor ctor = rnd.nextBoolean() ? null : m -> m.set(JAVA_LONG, 0, 0xC7L);
                    if (ctor != null || flags.contains(SlabFlag.POISON) || flags.contains(SlabFlag.TYPESAFE_BY_RCU)) {
                        flags.remove(SlabFlag.INIT_ON_FREE); // refused with those (InitOnFreeTest)
                    }
                    KmemCache c = a.createCache("c" + step, Math.max(size, 8), align, flags, ctor);
                    wiped.put(c, flags.contains(SlabFlag.INIT_ON_FREE));
                    assertTrue(c.geometry().align() >= Math.max(align, 8), where);
                    caches.add(c);
                    live.put(c, new ArrayList<>());
                } else if (op < 55) {
                    KmemCache c = caches.get(rnd.nextInt(caches.size()));
                    MemorySegment o = c.alloc();
                    assertEquals(c.objectSize(), o.byteSize(), where);
                    if (wiped.get(c)) {
                        assertEquals(
                                -1, o.mismatch(MemorySegment.ofArray(new byte[(int) o.byteSize()])), where + ": wiped");
                    }
                    assertEquals(0, o.address() % c.geometry().align(), where);
                    o.set(JAVA_LONG, 0, o.address());
                    live.get(c).add(o);
                } else if (op < 95) {
                    KmemCache c = caches.get(rnd.nextInt(caches.size()));
                    List<MemorySegment> mine = live.get(c);
                    if (!mine.isEmpty()) {
                        MemorySegment o = mine.remove(rnd.nextInt(mine.size()));
                        assertEquals(o.address(), o.get(JAVA_LONG, 0), where + ": contents kept while live");
                        c.free(o);
                        assertThrows(IllegalStateException.class, () -> c.free(o), where + ": double free");
                    }
                } else if (op < 98) {
                    KmemCache c = caches.get(rnd.nextInt(caches.size()));
                    KmemCache other = caches.get(rnd.nextInt(caches.size()));
                    List<MemorySegment> theirs = live.get(other);
                    if (!theirs.isEmpty() && !other.canonicalName().equals(c.canonicalName())) {
                        assertThrows(
                                IllegalArgumentException.class,
                                () -> c.free(theirs.getFirst()),
                                where + ": another cache's object");
                    }
                } else {
                    caches.get(rnd.nextInt(caches.size())).shrink();
                }
                if (step % 97 == 0) {
                    for (KmemCache c : caches) {
                        CacheStats s = c.stats();
                        assertEquals(s.totalObjects(), s.inUseObjects() + s.cachedObjects() + s.freeObjects(), where);
                    }
                }
            }
            for (KmemCache c : caches) {
                live.get(c).forEach(c::free);
            }
            Map<String, Long> inUse = new HashMap<>();
            for (KmemCache c : caches) {
                inUse.put(c.canonicalName(), c.stats().inUseObjects());
            }
            inUse.forEach((name, n) -> assertEquals(0L, n, "seed " + seed + ": cache " + name + " still has objects"));
        }
    }

    @Test
    void memoryLimitUnderLoadFailsCleanlyAndRecovers() throws Exception {
        try (SlabAllocator a = SlabAllocator.builder()
                .memoryLimit(16L << 20)
                .cpus(4)
                .reapInterval(Duration.ZERO)
                .build()) {
            KmemCache c = a.createCache("limited", 2048);
            ConcurrentLinkedQueue<MemorySegment> held = new ConcurrentLinkedQueue<>();
            AtomicInteger refused = new AtomicInteger();
            AtomicReference<Throwable> unexpected = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(4);
            for (int t = 0; t < 4; t++) {
                Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; i < 5000; i++) {
                            try {
                                held.add(c.alloc());
                            } catch (SlabOutOfMemoryException e) {
                                assertTrue(e.getMessage().contains("'limited'"), e.getMessage());
                                refused.incrementAndGet();
                                MemorySegment back = held.poll(); // frees keep working at the limit
                                if (back != null) {
                                    c.free(back);
                                }
                            }
                        }
                        a.drainCurrentThread();
                    } catch (Throwable e) {
                        unexpected.compareAndSet(null, e);
                    } finally {
                        done.countDown();
                    }
                });
            }
            done.await();
            if (unexpected.get() != null) {
                throw new AssertionError(unexpected.get());
            }
            assertTrue(refused.get() > 0, "the limit was reached");
            assertTrue(a.mappedBytes() <= 16L << 20);
            for (MemorySegment o; (o = held.poll()) != null; ) {
                c.free(o);
            }
            assertEquals(c.allocations(), c.frees(), "nothing leaked");
            c.shrink();
            List<MemorySegment> again = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                again.add(c.alloc()); // allocation works again after the frees
            }
            again.forEach(c::free);
        }
    }

    @Test
    void aThreadKilledMidLoopLosesNoMemory() throws Exception {
        try (SlabAllocator a = SlabAllocator.builder()
                .cpus(2)
                .reapInterval(Duration.ofMillis(50))
                .build()) {
            KmemCache c = a.createCache("killed", 96);
            List<MemorySegment> keptByTheApp = new ArrayList<>();
            Thread t = Thread.ofPlatform().start(() -> {
                for (int i = 0; ; i++) {
                    MemorySegment o = c.alloc();
                    if (i % 3 == 0) {
                        keptByTheApp.add(o);
                    } else {
                        c.free(o);
                    }
                    if (i == 1000) {
                        throw new IllegalStateException("the worker dies");
                    }
                }
            });
            t.join();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (c.stats().cachedObjects() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            CacheStats s = c.stats();
            assertEquals(keptByTheApp.size(), s.inUseObjects(), "only what the application kept is in use");
            assertEquals(0, s.cachedObjects(), "the dead thread's cached objects went back to the slabs");
            keptByTheApp.forEach(c::free);
            assertEquals(0, c.stats().inUseObjects());
        }
    }

    @Test
    void globalDebugOptionAppliesToEveryCache() {
        try (SlabAllocator a = SlabAllocator.builder()
                .debug(Set.of(SlabFlag.RED_ZONE, SlabFlag.POISON))
                .reapInterval(Duration.ZERO)
                .build()) {
            KmemCache c = a.createCache("everywhere", 100);
            assertEquals(120, c.geometry().size(), "104 + two red zone words");
            assertEquals(0x6b, Byte.toUnsignedInt(freedByte(c)));
            assertTrue(a.ksize(a.kmalloc(4L << 20)) == 4L << 20, "kmalloc-4M could not fit the words: it has none");
            assertTrue(!a.createCache("other", 100).isAlias(), "debugged caches never merge");
        }
    }

    @Test
    void debugFlagsWithANullAreRefusedByName() {
        Set<SlabFlag> flags = new HashSet<>(Arrays.asList(SlabFlag.POISON, null));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> SlabAllocator.builder().debug(flags));
        assertTrue(e.getMessage().startsWith("debug flags contain null"), e.getMessage());
    }

    @Test
    void nodesOutOfRangeAreRefusedByTheBuilder() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> SlabAllocator.builder().nodes(0).build());
        assertEquals("nodes must be between 1 and 64, not 0", e.getMessage());
    }

    private static byte freedByte(KmemCache c) {
        MemorySegment o = c.alloc();
        c.free(o);
        return o.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0);
    }
}
