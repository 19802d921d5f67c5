package org.slab4j;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Object life cycle through the public API: alloc, free, constructors, merging, destroy, bad input. */
class KmemCacheTest {
    private final SlabAllocator a = SlabAllocator.builder().cpus(2).build();

    @AfterEach
    void close() {
        a.close();
    }

    @Test
    void objectsAreDistinctAlignedAndExactlyObjectSizeLong() {
        KmemCache c = a.createCache("thing", 100, 32, Set.of(), null);
        SlabGeometry g = c.geometry();
        Set<Long> seen = new HashSet<>();
        List<MemorySegment> objs = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            MemorySegment o = c.alloc();
            assertEquals(100, o.byteSize());
            assertEquals(0, o.address() % g.align());
            assertTrue(seen.add(o.address()), "handed out twice");
            o.set(JAVA_LONG, 0, i);
            objs.add(o);
        }
        for (int i = 0; i < objs.size(); i++) {
            assertEquals(i, objs.get(i).get(JAVA_LONG, 0));
            c.free(objs.get(i));
        }
        assertEquals(5000, c.allocations());
        assertEquals(5000, c.frees());
    }

    @Test
    void segmentsAreBoundsChecked() {
        KmemCache c = a.createCache("small", 24);
        MemorySegment o = c.alloc();
        assertThrows(IndexOutOfBoundsException.class, () -> o.get(JAVA_LONG, 24));
        c.free(o);
    }

    @Test
    void zallocZeroes() {
        KmemCache c = a.createCache("z", 64);
        MemorySegment o = c.alloc();
        o.fill((byte) 0x5a);
        c.free(o);
        MemorySegment z = c.zalloc();
        for (long i = 0; i < z.byteSize(); i++) {
            assertEquals(0, z.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i));
        }
        c.free(z);
    }

    @Test
    void ctorRunsOncePerObjectWhenASlabGrowsNeverOnAlloc() {
        AtomicInteger calls = new AtomicInteger();
        KmemCache c = a.createCache("ctor", 256, 0, Set.of(), m -> {
            calls.incrementAndGet();
            m.set(JAVA_LONG, 0, 0xC0FFEEL);
        });
        int perSlab = c.geometry().objectsPerSlab();
        MemorySegment o = c.alloc();
        assertEquals(perSlab, calls.get(), "one slab grown, every object constructed");
        assertEquals(0xC0FFEEL, o.get(JAVA_LONG, 0));
        c.free(o);
        for (int i = 0; i < 100; i++) {
            c.free(c.alloc());
        }
        assertEquals(perSlab, calls.get(), "recycled objects are not constructed again");
        List<MemorySegment> objs = new ArrayList<>();
        for (int i = 0; i < 3 * perSlab; i++) {
            objs.add(c.alloc());
        }
        assertEquals(0, calls.get() % perSlab);
        assertTrue(calls.get() >= 3 * perSlab);
        objs.forEach(c::free);
    }

    @Test
    void failingCtorDiscardsTheSlabAndLeavesTheCacheUsable() {
        AtomicInteger calls = new AtomicInteger();
        KmemCache c = a.createCache("flaky", 512, 0, Set.of(), m -> {
            if (calls.incrementAndGet() == 3) {
                throw new IllegalStateException("boom");
            }
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, c::alloc);
        assertTrue(e.getMessage().contains("'flaky'"), e.getMessage());
        assertEquals("boom", e.getCause().getMessage());
        MemorySegment o = c.alloc();
        c.free(o);
        assertEquals(1, SlabinfoRows.parse(a.slabinfo()).get("flaky").numSlabs(), "the failed slab was discarded");
    }

    @Test
    void compatibleCachesMergeAndKeepTheirOwnNamesAndCounts() {
        KmemCache first = a.createCache("first", 48);
        KmemCache second = a.createCache("second", 44);
        assertTrue(second.isAlias());
        assertEquals("first", second.canonicalName());
        assertEquals(48, second.objectSize());
        second.free(second.alloc());
        second.free(second.alloc());
        assertEquals(2, second.allocations());
        assertEquals(0, first.allocations());
        assertFalse(SlabinfoRows.parse(a.slabinfo()).containsKey("second"), "aliases have no slabinfo row");
    }

    @Test
    void mergeRaisesObjectSizeAndRecutsSegments() {
        KmemCache first = a.createCache("fifty", 50);
        MemorySegment before = first.alloc();
        MemorySegment held = first.alloc();
        assertEquals(50, before.byteSize());
        first.free(before);
        KmemCache second = a.createCache("fiftyfive", 55);
        assertTrue(second.isAlias());
        assertEquals(55, first.objectSize());
        MemorySegment again = first.alloc();
        assertEquals(before.address(), again.address(), "the object cached in the thread's array, re-cut");
        assertEquals(55, again.byteSize());
        assertEquals(55, second.alloc().byteSize());
        second.free(held); // a segment cut before the merge is still accepted, once
        assertThrows(IllegalStateException.class, () -> second.free(held));
        assertEquals(2, second.allocations() + second.frees());
    }

    @Test
    void noMergeWithCtorNoMergeFlagDebugFlagsOrMergeOff() {
        a.createCache("base", 64);
        assertFalse(a.createCache("withCtor", 64, 0, Set.of(), m -> {}).isAlias());
        assertFalse(
                a.createCache("noMerge", 64, 0, Set.of(SlabFlag.NO_MERGE), null).isAlias());
        assertFalse(
                a.createCache("poison", 64, 0, Set.of(SlabFlag.POISON), null).isAlias());
        assertFalse(a.createCache("reclaim", 64, 0, Set.of(SlabFlag.RECLAIM_ACCOUNT), null)
                .isAlias());
        assertTrue(a.createCache("plain", 60, 0, Set.of(), null).isAlias());
        try (SlabAllocator off = SlabAllocator.builder().merge(false).build()) {
            off.createCache("base", 64);
            assertFalse(off.createCache("plain", 64).isAlias());
        }
    }

    @Test
    void kmallocCachesAreNeverMergeTargets() {
        assertFalse(a.createCache("like-kmalloc-64", 64).isAlias());
    }

    @Test
    void mergeNeedsTheCandidatesAlignmentToBeAMultiple() {
        a.createCache("a64", 64, 64, Set.of(), null);
        // A request aligned to 128 cannot use 64-aligned objects.
        assertFalse(a.createCache("a128", 64, 128, Set.of(), null).isAlias());
        // A request aligned to 32 can.
        assertTrue(a.createCache("a32", 64, 32, Set.of(), null).isAlias());
    }

    @Test
    void destroyAliasThenCache() {
        KmemCache first = a.createCache("d1", 40);
        KmemCache alias = a.createCache("d2", 40);
        assertTrue(alias.isAlias());
        alias.destroy();
        assertThrows(IllegalStateException.class, alias::alloc);
        MemorySegment o = first.alloc();
        IllegalStateException live = assertThrows(IllegalStateException.class, first::destroy);
        assertTrue(live.getMessage().contains("'d1'") && live.getMessage().contains("1 object"), live.getMessage());
        first.free(o);
        first.destroy();
        assertFalse(SlabinfoRows.parse(a.slabinfo()).containsKey("d1"));
        IllegalStateException again = assertThrows(IllegalStateException.class, first::alloc);
        assertTrue(again.getMessage().contains("destroyed"), again.getMessage());
        // The name can be reused afterwards.
        KmemCache reborn = a.createCache("d1", 40);
        reborn.free(reborn.alloc());
    }

    @Test
    void theAllocatorsOwnCachesCannotBeDestroyedButCanBeShrunk() {
        try (SlabAllocator b = quietAllocator()) {
            MemorySegment held = b.kmalloc(64);
            b.kfree(b.kmalloc(64));
            List<KmemCache> own = b.caches().stream()
                    .filter(k -> k.name().startsWith("kmalloc-") || k.name().equals("kmem_cache"))
                    .toList();
            List<String> names = own.stream().map(KmemCache::name).toList();
            assertTrue(
                    names.containsAll(List.of("kmem_cache", "kmalloc-32", "kmalloc-64", "kmalloc-4M")),
                    names.toString());
            String before = b.slabinfo();
            for (KmemCache k : own) {
                assertMessage(k::destroy, "'" + k.name() + "'", "belongs to the allocator");
            }
            assertEquals(before, b.slabinfo());
            assertTrue(b.caches().stream().map(KmemCache::name).toList().containsAll(names));
            for (KmemCache k : own) {
                assertDoesNotThrow(k::shrink);
            }
            MemorySegment m = assertDoesNotThrow(() -> b.kmalloc(64));
            b.kfree(m);
            b.kfree(held);
            KmemCache big = b.createCache("big-after", 4096, 0, Set.of(), o -> {});
            assertEquals(FreelistMode.OFF_SLAB, big.geometry().freelistMode()); // its freelists come from kmalloc
            big.free(big.alloc());
            big.destroy();
        }
    }

    @Test
    void badArgumentsNameTheCache() {
        assertMessage(() -> a.createCache("neg", -1), "'neg'", "positive");
        assertMessage(() -> a.createCache("zero", 0), "'zero'", "positive");
        assertMessage(() -> a.createCache("huge", (4L << 20) + 1), "'huge'", "KMALLOC_MAX_SIZE");
        assertMessage(() -> a.createCache("odd", 16, 3, Set.of(), null), "'odd'", "power of two");
        assertMessage(() -> a.createCache(null, 16), "name");
        a.createCache("dup", 16);
        assertMessage(() -> a.createCache("dup", 16), "'dup'", "already exists");
        assertMessage(() -> a.kmalloc((4L << 20) + 1), "kmalloc", "KMALLOC_MAX_SIZE");
        assertMessage(() -> a.kmalloc(-5), "kmalloc");
    }

    @Test
    void aNullFlagIsRefusedNamingTheCache() {
        Set<SlabFlag> flags = new HashSet<>(Arrays.asList(SlabFlag.NO_MERGE, null));
        Throwable t = assertThrows(Throwable.class, () -> a.createCache("nullflag", 64, 0, flags, null));
        assertInstanceOf(IllegalArgumentException.class, t);
        assertTrue(
                t.getMessage().contains("'nullflag'") && t.getMessage().contains("flags contain null"), t.getMessage());
        assertFalse(a.caches().stream().anyMatch(k -> k.name().equals("nullflag")));
        assertDoesNotThrow(() -> a.createCache("nullflag", 64, 0, null, null));
    }

    @Test
    void kmallocNodeChecksTheNodeForZeroBytesToo() {
        assertMessage(() -> a.kmallocNode(64, 99), "node 99 does not exist");
        assertMessage(() -> a.kmallocNode(0, 99), "node 99 does not exist");
        assertMessage(() -> a.kmallocNode(0, -1), "node -1 does not exist");
        MemorySegment zero = a.kmallocNode(0, 0);
        assertEquals(0, zero.byteSize());
        a.kfree(zero);
    }

    @Test
    void freeingWhatIsNotAnObjectOfTheCacheIsRefusedAndChangesNothing() {
        KmemCache c = a.createCache("mine", 64);
        KmemCache other = a.createCache("other", 128);
        MemorySegment o = c.alloc();
        MemorySegment theirs = other.alloc();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment foreign = arena.allocate(64);
            assertMessage(() -> c.free(foreign), "'mine'", "not allocated by this allocator");
        }
        assertMessage(() -> c.free(MemorySegment.ofArray(new byte[64])), "'mine'", "not allocated");
        assertMessage(() -> c.free(theirs), "'mine'", "belongs to cache 'other'");
        assertMessage(() -> c.free(o.asSlice(8)), "'mine'", "inside an object");
        assertMessage(() -> c.free(null), "'mine'", "null");
        c.free(o);
        other.free(theirs);
        assertEquals(1, c.allocations());
        assertEquals(1, c.frees());
    }

    /**
     * The fast free trusts only the very segment the slab cut for an object: with the slab hint warm (the previous free
     * was on the same slab), interior pointers, neighbours' views and double frees still reach the checked path, for
     * power-of-two buffer sizes (a shift finds the index) and others (the reciprocal does).
     */
    @ParameterizedTest
    @ValueSource(longs = {64, 96, 200})
    void withTheSlabHintWarmEveryBadFreeIsStillRefused(long size) {
        KmemCache c = a.createCache("hinted-" + size, size);
        MemorySegment warm = c.alloc();
        MemorySegment o = c.alloc();
        MemorySegment next = c.alloc();
        c.free(warm); // the thread's slab hint now points at the slab of o and next
        assertMessage(() -> c.free(o.asSlice(8)), "'hinted-" + size + "'", "inside an object");
        assertMessage(() -> c.free(next.asSlice(next.byteSize() - 1)), "inside an object");
        c.free(o);
        assertMessage(() -> c.free(o), "double free");
        assertMessage(() -> c.free(next.asSlice(0, 8)), "not the segment that was handed out"); // a view
        c.free(next);
        assertMessage(() -> c.free(next), "double free");
        assertEquals(3, c.allocations());
        assertEquals(3, c.frees());
        Set<Long> handedOut = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            assertTrue(handedOut.add(c.alloc().address()), "an object handed out twice");
        }
    }

    @Test
    void doubleFreeIsRefusedAndTheObjectIsNeverHandedOutTwice() {
        KmemCache c = a.createCache("twice", 64);
        MemorySegment o = c.alloc();
        c.free(o);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.free(o));
        assertTrue(e.getMessage().contains("'twice'") && e.getMessage().contains("double free"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> a.kfree(o));
        Set<Long> handedOut = new HashSet<>();
        List<MemorySegment> objs = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            MemorySegment x = c.alloc();
            assertTrue(handedOut.add(x.address()), "handed out twice");
            objs.add(x);
        }
        objs.forEach(c::free);
        assertEquals(501, c.allocations());
        assertEquals(501, c.frees());
        // Objects that travelled through the shared array and back to the slabs are still tracked.
        c.shrink();
        MemorySegment y = c.alloc();
        c.free(y);
        assertThrows(IllegalStateException.class, () -> c.free(y));
    }

    /** Virtual threads free under their stripe's lock through the same checks: every bad free is still refused. */
    @Test
    void onAVirtualThreadBadFreesAreRefusedAndCountsReconcile() throws Exception {
        KmemCache c = a.createCache("virtual-frees", 96);
        java.util.concurrent.atomic.AtomicReference<Throwable> failure =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread.ofVirtual()
                .start(() -> {
                    try {
                        List<MemorySegment> held = new ArrayList<>();
                        for (int i = 0; i < 300; i++) { // more than an array holds: flushes and refills too
                            held.add(c.alloc());
                        }
                        MemorySegment o = held.getFirst();
                        assertMessage(() -> c.free(o.asSlice(8)), "'virtual-frees'", "inside an object");
                        held.forEach(c::free);
                        assertMessage(() -> c.free(o), "double free");
                        Set<Long> handedOut = new HashSet<>();
                        for (int i = 0; i < 300; i++) {
                            assertTrue(handedOut.add(c.alloc().address()), "an object handed out twice");
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                })
                .join();
        assertNull(failure.get());
        assertEquals(600, c.allocations());
        assertEquals(300, c.frees());
        assertEquals(300, c.stats().inUseObjects());
    }

    @Test
    void drainCurrentThreadOnAVirtualThreadEmptiesItsStripe() throws Exception {
        try (SlabAllocator b = quietAllocator()) {
            KmemCache c = b.createCache("vdrain", 64);
            KmemCache big = b.createCache("vdrain-offslab", 4096, 0, Set.of(), o -> {}); // freelists from kmalloc
            long[] cached = new long[3];
            Thread.ofVirtual()
                    .start(() -> {
                        List<MemorySegment> objs = new ArrayList<>();
                        for (int i = 0; i < 50; i++) {
                            objs.add(c.alloc());
                        }
                        objs.forEach(c::free);
                        MemorySegment o = big.alloc();
                        big.free(o);
                        cached[0] = c.stats().cachedObjects();
                        b.drainCurrentThread();
                        cached[1] = c.stats().cachedObjects();
                        cached[2] = big.stats().cachedObjects();
                    })
                    .join();
            assertTrue(cached[0] >= 50, "the stripe holds what the virtual thread freed (and refilled): " + cached[0]);
            assertEquals(0, cached[1], "drained");
            assertEquals(0, cached[2], "drained");
            assertEquals(0, c.stats().inUseObjects());
            c.destroy();
            big.destroy();
        }
    }

    @Test
    void doubleFreeFromAnotherThreadIsCaught() throws Exception {
        KmemCache c = a.createCache("twice-x", 128);
        MemorySegment o = c.alloc();
        c.free(o); // now in this thread's array
        java.util.concurrent.atomic.AtomicReference<Throwable> seen =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                c.free(o);
            } catch (Throwable e) {
                seen.set(e);
            }
        });
        t.join();
        assertTrue(seen.get() instanceof IllegalStateException, String.valueOf(seen.get()));
    }

    /**
     * A virtual thread's kfree finds the slab through its stripe's hint, shared by many virtual threads at once: every
     * object still goes back to its own class, bad frees are still refused, and the counts reconcile.
     */
    @Test
    void virtualThreadsKfreeThroughTheirStripesHint() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Throwable> failure =
                new java.util.concurrent.atomic.AtomicReference<>();
        Set<Long> live = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 64; t++) {
            long size = 24L << (t % 4); // kmalloc-32, -64, -96, -192: neighbouring frees hit and miss the hint
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    List<MemorySegment> mine = new ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                        MemorySegment m = a.kmalloc(size);
                        assertTrue(live.add(m.address()), "an object handed out twice");
                        mine.add(m);
                    }
                    MemorySegment first = mine.getFirst();
                    assertMessage(() -> a.kfree(first.asSlice(8)), "inside an object");
                    for (MemorySegment m : mine) {
                        live.remove(m.address());
                        a.kfree(m);
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertNull(failure.get());
        // A double free, once no other thread can have taken the object again in between.
        Thread.ofVirtual()
                .start(() -> {
                    try {
                        MemorySegment m = a.kmalloc(48);
                        a.kfree(m);
                        assertMessage(() -> a.kfree(m), "double free");
                        a.kfree(a.kmalloc(48));
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                })
                .join();
        assertNull(failure.get());
        assertTrue(live.isEmpty());
        for (KmemCache c : a.caches()) {
            if (c.name().matches("kmalloc-(32|64|96|192)")) {
                assertEquals(16 * 200 + (c.name().equals("kmalloc-64") ? 2 : 0), c.allocations(), c.name());
                assertEquals(16 * 200 + (c.name().equals("kmalloc-64") ? 2 : 0), c.frees(), c.name());
                assertEquals(0, c.stats().inUseObjects(), c.name());
            }
        }
    }

    @Test
    void kfreeKeepsWorkingOnceTheCachesOwnNameIsDestroyed() throws Exception {
        try (SlabAllocator b = quietAllocator()) {
            KmemCache x = b.createCache("x", 64);
            KmemCache y = b.createCache("y", 64);
            KmemCache z = b.createCache("z", 64);
            assertTrue(y.isAlias() && z.isAlias());
            List<MemorySegment> objs = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                objs.add((i % 3 == 0 ? x : i % 3 == 1 ? y : z).alloc());
            }
            x.destroy(); // only drops x's reference
            MemorySegment o = y.alloc();
            assertDoesNotThrow(() -> b.kfree(o));
            for (MemorySegment m : objs.subList(0, 10)) {
                b.kfree(m); // on this thread: the hinted fast path after the first
            }
            Thread.ofVirtual() // a stripe's path
                    .start(() -> objs.subList(10, 20).forEach(b::kfree))
                    .join();
            assertEquals(21, y.frees(), "counted against the first live handle");
            y.destroy();
            objs.subList(20, 25).forEach(b::kfree); // now counted against z
            assertEquals(5, z.frees());
            assertMessage(() -> x.free(objs.get(25)), "'x'", "destroyed");
            long allocs = x.allocations() + y.allocations() + z.allocations();
            long frees = x.frees() + y.frees() + z.frees();
            assertEquals(z.stats().inUseObjects(), allocs - frees, "per-handle counts reconcile");
            assertEquals(5, allocs - frees);
            objs.subList(25, 30).forEach(z::free);
            z.destroy();
            MemorySegment k = b.kmalloc(64);
            b.kfree(k); // this thread's kfree hint no longer names the destroyed cache's slab
        }
    }

    @Test
    void kfreeFindsTheCacheOfEveryKmallocClass() {
        for (long size = 1; size <= 4L << 20; size = size * 3 / 2 + 1) {
            MemorySegment m = a.kmalloc(size);
            long ksize = a.ksize(m);
            assertTrue(ksize >= size, size + " -> " + ksize);
            assertEquals(ksize, m.byteSize());
            m.set(java.lang.foreign.ValueLayout.JAVA_BYTE, size - 1, (byte) 1);
            a.kfree(m);
        }
        assertEquals(96, a.ksize(a.kmalloc(65)));
        assertEquals(192, a.ksize(a.kmalloc(129)));
        assertEquals(32, a.ksize(a.kmalloc(1)));
        MemorySegment zero = a.kmalloc(0);
        assertEquals(0, zero.byteSize());
        assertEquals(0, a.ksize(zero));
        a.kfree(zero);
        a.kfree(null);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment foreign = arena.allocate(64);
            assertMessage(() -> a.kfree(foreign), "kfree", "not an object of this allocator");
        }
    }

    @Test
    void kfreeOfAStaleSegmentNamesThePageWithoutASlab() {
        try (SlabAllocator b = quietAllocator()) {
            MemorySegment held = b.kmalloc(1 << 20); // keeps the chunk mapped
            MemorySegment stale = b.kmalloc(1 << 20);
            b.kfree(stale);
            b.caches().forEach(KmemCache::shrink); // destroys stale's slab: its pages hold none now
            for (org.junit.jupiter.api.function.Executable call :
                    List.<org.junit.jupiter.api.function.Executable>of(() -> b.kfree(stale), () -> b.ksize(stale))) {
                RuntimeException e = assertThrows(IllegalArgumentException.class, call);
                assertTrue(e.getMessage().contains("holds no slab (already freed with its slab"), e.getMessage());
                assertFalse(e.getMessage().contains("not an object of this allocator"), e.getMessage());
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment foreign = arena.allocate(64);
                assertMessage(() -> b.kfree(foreign), "kfree", "not an object of this allocator");
            }
            b.kfree(held);
        }
    }

    @Test
    void kzallocErrorsNameKzalloc() {
        assertMessage(() -> a.kzalloc(-1), "kzalloc: cannot allocate -1 bytes");
        assertMessage(() -> a.kzalloc((4L << 20) + 1), "kzalloc: cannot allocate");
        assertMessage(() -> a.kmalloc(-1), "kmalloc: cannot allocate -1 bytes");
        a.close();
        assertMessage(() -> a.kzalloc(0), "kzalloc: the allocator is closed");
    }

    @Test
    void kfreeAlsoFreesCacheObjects() {
        KmemCache c = a.createCache("viaKfree", 72);
        MemorySegment o = c.alloc();
        assertEquals(72, a.ksize(o));
        a.kfree(o);
        assertEquals(1, c.allocations());
    }

    @Test
    void offSlabFreelistsComeFromKmalloc() {
        KmemCache big = a.createCache("bigctor", 4096, 0, Set.of(), m -> {});
        assertEquals(FreelistMode.OFF_SLAB, big.geometry().freelistMode());
        long before = SlabinfoRows.parse(a.slabinfo()).get("kmalloc-32").activeObjs();
        List<MemorySegment> objs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            objs.add(big.alloc());
        }
        long after = SlabinfoRows.parse(a.slabinfo()).get("kmalloc-32").activeObjs();
        assertTrue(after > before, "each slab took its freelist from kmalloc-32");
        objs.forEach(big::free);
        big.shrink();
        assertEquals(0, SlabinfoRows.parse(a.slabinfo()).get("bigctor").numSlabs());
    }

    /**
     * Slabs are coloured in turn ({@code cache_grow_begin}): slab {@code k} puts its first object {@code colour_off}
     * times its colour past the slab's start, the colour going 1, 2, ..., colour - 1, 0, 1, ... Slabs start on
     * addresses aligned to their size (chunks are aligned to theirs), so each object's slab start is its address
     * rounded down.
     */
    @Test
    void slabsAreColouredInTurn() {
        KmemCache c = a.createCache("colour", 1088, 0, Set.of(SlabFlag.HWCACHE_ALIGN), null);
        SlabGeometry g = c.geometry();
        assertTrue(g.colour() > 2, "a cache with several colours: " + g);
        long slabBytes = 4096L << g.order();
        java.util.Map<Long, Long> firstObjectOffsetBySlab = new java.util.LinkedHashMap<>();
        List<MemorySegment> objs = new ArrayList<>();
        for (int i = 0; i < g.objectsPerSlab() * g.colour(); i++) {
            MemorySegment o = c.alloc();
            objs.add(o);
            long slab = o.address() & -slabBytes;
            firstObjectOffsetBySlab.merge(slab, o.address() - slab, Math::min);
        }
        List<Long> colours = firstObjectOffsetBySlab.values().stream()
                .map(off -> {
                    assertEquals(0, off % g.colourOff(), "s_mem is a multiple of colour_off: " + off);
                    return off / g.colourOff();
                })
                .toList();
        assertEquals(g.colour(), colours.size(), "one slab per colour");
        for (int k = 0; k < colours.size(); k++) {
            assertEquals((k + 1) % g.colour(), colours.get(k), "slab " + k + " of " + colours);
        }
        objs.forEach(c::free);
    }

    /** With randomisation the objects of a slab come out in no order; without it, in order (LIFO within a batch). */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void freelistRandomisationHandsOutAPermutation(boolean random) {
        try (SlabAllocator r =
                SlabAllocator.builder().freelistRandom(random).randomSeed(42).build()) {
            KmemCache c = r.createCache("rnd", 64);
            int num = c.geometry().objectsPerSlab();
            List<Long> order = new ArrayList<>();
            for (int i = 0; i < num; i++) {
                order.add(c.alloc().address());
            }
            assertEquals(num, new HashSet<>(order).size());
            int turns = 0; // how often the order changes direction
            for (int i = 2; i < num; i++) {
                if (Long.signum(order.get(i) - order.get(i - 1)) != Long.signum(order.get(i - 1) - order.get(i - 2))) {
                    turns++;
                }
            }
            if (random) {
                assertTrue(turns > num / 4, "a random order changes direction often: " + turns + " turns");
            } else {
                assertTrue(turns <= 2, "the freelist order, batch by batch: " + turns + " turns");
            }
        }
    }

    @Test
    void initOnFreeZeroesAndRulesOutObjfreelist() {
        try (SlabAllocator z = SlabAllocator.builder().initOnFree(true).build()) {
            KmemCache c = z.createCache("iof", 64);
            assertNotEquals(FreelistMode.OBJFREELIST, c.geometry().freelistMode());
            MemorySegment o = c.alloc();
            o.fill((byte) 7);
            c.free(o);
            MemorySegment again = c.alloc();
            assertEquals(o.address(), again.address(), "LIFO: the object just freed comes back first");
            assertEquals(0, again.get(JAVA_LONG, 0));
        }
    }

    @Test
    void memoryLimitRefusesClearlyAndRecovers() {
        try (SlabAllocator small = SlabAllocator.builder().memoryLimit(4L << 20).build()) {
            KmemCache c = small.createCache("hog", 64 * 1024);
            List<MemorySegment> objs = new ArrayList<>();
            SlabOutOfMemoryException e = assertThrows(SlabOutOfMemoryException.class, () -> {
                while (true) {
                    objs.add(c.alloc());
                }
            });
            assertTrue(e.getMessage().contains("'hog'") && e.getMessage().contains("4194304"), e.getMessage());
            assertFalse(objs.isEmpty());
            c.free(objs.removeLast());
            objs.add(c.alloc());
            objs.forEach(c::free);
            c.shrink();
            objs.clear();
            for (int i = 0; i < 10; i++) {
                objs.add(c.alloc());
            }
            objs.forEach(c::free);
        }
    }

    @Test
    void aCreateCacheRefusedAtTheMemoryLimitLeavesNothingBehind() {
        try (SlabAllocator b = SlabAllocator.builder()
                .memoryLimit(4L << 20)
                .nodes(1)
                .reapInterval(Duration.ZERO)
                .reportInterval(Duration.ZERO)
                .build()) {
            KmemCache fill = b.createCache("fill", 4000, 0, Set.of(SlabFlag.NO_MERGE), null);
            List<MemorySegment> held = new ArrayList<>();
            assertThrows(SlabOutOfMemoryException.class, () -> {
                while (true) {
                    held.add(fill.alloc());
                }
            });
            String failed = null;
            long failedSize = 0;
            for (int i = 0; failed == null && i < 200; i++) {
                try {
                    b.createCache("n" + i, 1000 + 16 * i);
                } catch (SlabOutOfMemoryException e) {
                    failed = "n" + i;
                    failedSize = 1000 + 16 * i;
                }
            }
            assertNotNull(failed, "the kmem_cache cache never needed a new slab");
            held.forEach(fill::free);
            fill.shrink();
            String n = failed;
            assertFalse(b.caches().stream().anyMatch(k -> k.name().equals(n)));
            assertFalse(b.slabinfo().contains("\n" + n + " "));
            KmemCache same = b.createCache("same-size", failedSize); // nothing left to merge into
            assertFalse(same.isAlias(), same.toString());
            KmemCache again = assertDoesNotThrow(() -> b.createCache(n, 64));
            again.free(again.alloc());
            assertEquals(1, again.allocations());
        }
    }

    @Test
    void closeUnmapsEverythingAndLaterUseFailsClearly() {
        SlabAllocator b = SlabAllocator.builder().build();
        KmemCache c = b.createCache("gone", 32);
        MemorySegment o = c.alloc();
        b.kfree(b.kmalloc(64)); // this thread's kmalloc-64 array keeps the object: an allocation would not touch a slab
        assertTrue(b.mappedBytes() > 0);
        b.close();
        assertEquals(0, b.mappedBytes());
        assertTrue(b.isClosed());
        assertMessage(c::alloc, "'gone'", "closed");
        assertMessage(() -> b.kmalloc(64), "'kmalloc-64'", "closed");
        assertMessage(() -> b.kmalloc(0), "kmalloc", "closed");
        assertMessage(() -> c.free(o), "'gone'", "closed");
        assertMessage(() -> b.createCache("new", 8), "closed");
        assertMessage(b::slabinfo, "closed");
        assertThrows(IllegalStateException.class, () -> o.get(JAVA_LONG, 0), "the memory is gone");
        b.close();
    }

    @Test
    void ksizeOfTheZeroSizeSegmentAfterCloseSaysClosedAsKmallocOfZeroDoes() {
        MemorySegment zero = a.kmalloc(0);
        assertEquals(0, a.ksize(zero));
        a.close();
        assertMessage(() -> a.kmalloc(0), "kmalloc", "closed");
        assertMessage(() -> a.ksize(null), "ksize", "closed");
        assertMessage(() -> a.ksize(zero), "ksize", "closed");
        assertDoesNotThrow(() -> a.kfree(zero)); // kfree(ZERO_SIZE_PTR) and kfree(NULL) stay no-ops, as in C
        assertDoesNotThrow(() -> a.kfree(null));
    }

    @Test
    void afterCloseOnlyConfigurationAndShapeStillAnswer() {
        SlabAllocator b = SlabAllocator.builder()
                .name("closing")
                .nodes(2)
                .reapInterval(Duration.ZERO)
                .build();
        KmemCache c = b.createCache("shape", 48);
        KmemCache alias = b.createCache("shape-alias", 48);
        c.free(c.alloc());
        SlabGeometry g = c.geometry();
        b.close();
        assertMessage(b::currentNode, "currentNode", "closed");
        assertMessage(b::caches, "caches", "closed");
        assertMessage(c::stats, "'shape'", "closed");
        assertMessage(c::allocations, "'shape'", "closed");
        assertMessage(alias::frees, "'shape-alias'", "closed");
        assertMessage(c::shrink, "'shape'", "closed");
        assertMessage(c::destroy, "'shape'", "closed");
        assertMessage(b::drainCurrentThread, "closed");
        assertMessage(() -> b.kmallocNode(0, 0), "closed");
        assertMessage(() -> b.tune("shape", 10, 5, 0), "closed");
        assertMessage(b::report, "closed");
        assertEquals("closing", b.name());
        assertEquals(2, b.nodes());
        assertEquals(0, b.mappedBytes());
        assertEquals(Long.MAX_VALUE, b.memoryLimit());
        assertTrue(b.isClosed());
        assertEquals(g, c.geometry());
        assertEquals(48, c.objectSize());
        assertEquals("shape", alias.canonicalName());
        assertTrue(alias.isAlias());
    }

    /**
     * A merged cache whose own name is destroyed goes by its alias's name everywhere (slabinfo, JMX, Micrometer, JFR,
     * {@code canonicalName()}): its handles' {@code stats()} said the destroyed name, which a new cache may then have.
     */
    @Test
    void statsOfAnAliasWhoseCacheLostItsOwnNameNameTheCacheAsCanonicalNameDoes() {
        KmemCache own = a.createCache("stats-own", 200);
        KmemCache alias = a.createCache("stats-alias", 200);
        assertTrue(alias.isAlias());
        own.destroy();
        assertEquals("stats-alias", alias.canonicalName());
        assertEquals(alias.canonicalName(), alias.stats().cache());
        alias.destroy();
    }

    @Test
    void kfreeHintsNeverOutliveTheirCacheOrAllocator() {
        SlabAllocator b = SlabAllocator.builder().build();
        KmemCache gone = b.createCache("hinted", 40);
        b.kfree(gone.alloc()); // this thread's kfree hint now names a slab of "hinted"
        gone.destroy();
        MemorySegment m = b.kmalloc(40);
        b.kfree(m);
        assertMessage(() -> b.kfree(m), "double free");
        MemorySegment held = b.kmalloc(40);
        b.kfree(b.kmalloc(40)); // the hint names held's slab, through this thread's array
        b.close();
        assertMessage(() -> b.kfree(held), "closed");
    }

    @Test
    void tuneValidatesLikeTheKernel() {
        a.createCache("tuned", 128);
        assertMessage(() -> a.tune("tuned", 0, 1, 0), "'tuned'", "invalid tunables");
        assertMessage(() -> a.tune("tuned", 10, 11, 0), "'tuned'", "invalid tunables");
        assertMessage(() -> a.tune("nosuch", 10, 5, 0), "'nosuch'");
        a.tune("tuned", 10, 5, 2);
        SlabinfoRows.Row r = SlabinfoRows.parse(a.slabinfo()).get("tuned");
        assertEquals(List.of(10L, 5L, 2L), List.of(r.limit(), r.batchcount(), r.shared()));
    }

    @Test
    void tuneRefusesAnOverflowingSharedArrayAndChangesNothing() {
        try (SlabAllocator b = quietAllocator()) {
            KmemCache c = b.createCache("c", 64);
            String before = row(b, "c");
            for (int shared : new int[] {3, 4}) { // 2^30 * 3 wraps negative, 2^30 * 4 wraps to 0
                Throwable t = assertThrows(Throwable.class, () -> b.tune("c", 1 << 30, 1 << 30, shared));
                assertInstanceOf(IllegalArgumentException.class, t);
                assertTrue(t.getMessage().contains("'c'"), t.getMessage());
                assertEquals(before, row(b, "c"));
            }
            // A valid limit and batchcount whose product with shared wraps in int arithmetic.
            assertMessage(() -> b.tune("c", 4094, 4094, Integer.MAX_VALUE), "'c'", "shared * batchcount");
            assertMessage(() -> b.tune("c", 2, 2, Integer.MAX_VALUE), "'c'", "shared * batchcount"); // wraps to -2
            assertEquals(before, row(b, "c"));
            c.free(c.alloc());
        }
    }

    @Test
    void tuneRefusesArraysNoAllocatorWouldHandOut() {
        try (SlabAllocator b = quietAllocator()) {
            KmemCache c = b.createCache("c", 64);
            String before = row(b, "c");
            assertMessage(() -> b.tune("c", Integer.MAX_VALUE, 1, 0), "'c'", "limit", "4094");
            assertMessage(() -> b.tune("c", 4095, 1, 0), "'c'", "4094");
            assertMessage(() -> b.tune("c", 4094, 4094, 129), "'c'", "shared", "524286");
            assertEquals(before, row(b, "c"));
            MemorySegment o = assertDoesNotThrow(c::alloc);
            c.free(o);
            b.tune("c", 4094, 128, 4095); // at both bounds: 4095 * 128 = 524160 shared entries
            SlabinfoRows.Row r = SlabinfoRows.parse(b.slabinfo()).get("c");
            assertEquals(List.of(4094L, 128L, 4095L), List.of(r.limit(), r.batchcount(), r.shared()));
            List<MemorySegment> objs = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                objs.add(c.alloc());
            }
            objs.forEach(c::free);
        }
    }

    @Test
    void tuneBoundsFollowThePageSizeAsTheKernelsAllocatorsDo() {
        // With 64 KiB pages the percpu unit is 64 KiB (PFN_ALIGN(32 KiB)) and KMALLOC_MAX_SIZE 32 MiB.
        try (SlabAllocator b = SlabAllocator.builder()
                .pageSize(65536)
                .reapInterval(Duration.ZERO)
                .reportInterval(Duration.ZERO)
                .build()) {
            KmemCache c = b.createCache("c", 64);
            b.tune("c", 8190, 512, 8191); // (65536 - 16) / 8 entries; 512 * 8191 = 4193792 shared entries
            SlabinfoRows.Row r = SlabinfoRows.parse(b.slabinfo()).get("c");
            assertEquals(List.of(8190L, 512L, 8191L), List.of(r.limit(), r.batchcount(), r.shared()));
            String before = row(b, "c");
            assertMessage(() -> b.tune("c", 8191, 1, 0), "'c'", "8190");
            assertMessage(() -> b.tune("c", 8190, 8190, 513), "'c'", "shared", "4194302");
            assertEquals(before, row(b, "c"));
            c.free(c.alloc());
        }
    }

    @Test
    void globalIsOneInstanceAndCannotBeClosed() {
        assertSame(SlabAllocator.global(), SlabAllocator.global());
        assertThrows(UnsupportedOperationException.class, () -> SlabAllocator.global()
                .close());
        assertNotSame(a, SlabAllocator.global());
    }

    private static SlabAllocator quietAllocator() {
        return SlabAllocator.builder()
                .reapInterval(Duration.ZERO)
                .reportInterval(Duration.ZERO)
                .build();
    }

    /** @return the slabinfo line of cache {@code name} */
    private static String row(SlabAllocator b, String name) {
        return b.slabinfo()
                .lines()
                .filter(l -> l.startsWith(name + " "))
                .findFirst()
                .orElseThrow();
    }

    /** {@code kmem_cache_create} takes any power-of-two alignment up to {@code KMALLOC_MAX_SIZE}, and kmalloc's natural. */
    @ParameterizedTest
    @ValueSource(longs = {8192, 65536, 1 << 20, 4 << 20})
    void largeAlignmentsHold(long align) {
        KmemCache c = a.createCache("aligned-" + align, 100, align, Set.of(), null);
        List<MemorySegment> objects = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            MemorySegment o = c.alloc();
            assertEquals(0, o.address() % align, "0x" + Long.toHexString(o.address()));
            objects.add(o);
        }
        objects.forEach(c::free);
        MemorySegment k = a.kmalloc(align);
        assertEquals(0, k.address() % align, "kmalloc-" + align + " is naturally aligned");
        a.kfree(k);
        assertMessage(() -> a.createCache("too-aligned", 8, 8L << 20, Set.of(), null), "'too-aligned'", "alignment");
    }

    /**
     * A small object at {@code KMALLOC_MAX_SIZE} alignment with a constructor fits in no slab, as in the kernel
     * ({@code -E2BIG}): its buffer fills the largest slab and its freelist may not go OFF_SLAB (no benefit for so small
     * an object). The error names the alignment as the cause, not the object's few bytes.
     */
    @Test
    void anAlignmentThatLeavesNoSlabRoomIsNamedAsTheCause() {
        assertMessage(
                () -> a.createCache("max-aligned", 8, 4L << 20, Set.of(), m -> {}),
                "'max-aligned'",
                "8 bytes aligned to 4194304",
                "a smaller alignment");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> a.createCache("max-aligned", 8, 4L << 20, Set.of(SlabFlag.RED_ZONE), m -> {}));
        assertFalse(e.getMessage().contains("debug words"), "dropped past 8-byte alignment: " + e.getMessage());
        KmemCache c = a.createCache("max-aligned", 8, 2L << 20, Set.of(), m -> {});
        a.createCache("max-aligned-rcu", 8, 1L << 20, Set.of(SlabFlag.TYPESAFE_BY_RCU), null)
                .destroy();
        c.destroy();
    }

    /** {@code fallback_alloc}: a node that cannot grow takes objects from another node's slabs before failing. */
    @Test
    void aNodeAtTheMemoryLimitTakesObjectsFromAnotherNode() throws Exception {
        try (SlabAllocator two =
                SlabAllocator.builder().nodes(2).memoryLimit(4L << 20).build()) {
            KmemCache c = two.createCache("fallback", 256);
            two.bindCurrentThread(1);
            MemorySegment first = c.allocNode(0); // a slab on node 0 (past every array): 14 objects left on its lists
            java.util.concurrent.atomic.AtomicReference<Object> got =
                    new java.util.concurrent.atomic.AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    two.bindCurrentThread(1);
                    MemorySegment o = c.alloc(); // node 1 cannot map a chunk: the limit is node 0's one chunk
                    got.set(o);
                    c.free(o);
                } catch (Throwable e) {
                    got.set(e);
                }
            });
            t.join();
            assertInstanceOf(MemorySegment.class, got.get(), String.valueOf(got.get()));
            c.free(first);
        }
    }

    /**
     * {@code ____cache_alloc_node} falls back too: {@code allocNode} on a node that cannot grow takes an object from
     * another node's slabs before failing.
     */
    @Test
    void allocNodeOnANodeAtTheMemoryLimitTakesAnObjectFromAnotherNode() throws Exception {
        try (SlabAllocator two =
                SlabAllocator.builder().nodes(2).memoryLimit(4L << 20).build()) {
            KmemCache c = two.createCache("fallback-node", 256);
            two.bindCurrentThread(1);
            MemorySegment first = c.allocNode(0); // node 0's slab, past every array: objects left on its lists
            two.bindCurrentThread(0);
            MemorySegment other = c.allocNode(1); // node 1 cannot map a chunk: the limit is node 0's one chunk
            assertNotEquals(first.address(), other.address());
            c.free(other);
            c.free(first);
        }
    }

    /**
     * {@code fallback_alloc}'s last step: with no free object on any node, the slab is grown from another node's pages,
     * as the kernel's page allocator falls back along the zonelist. With two nodes and a limit of one chunk, node 1
     * could otherwise never allocate an object of a cache that had none free on node 0, however empty node 0's chunk.
     */
    @Test
    void aNodeAtTheMemoryLimitGrowsASlabFromAnotherNodesPages() throws Exception {
        try (SlabAllocator two =
                SlabAllocator.builder().nodes(2).memoryLimit(4L << 20).build()) {
            KmemCache mapper = two.createCache("maps-node-0", 64);
            KmemCache c = two.createCache("grows-elsewhere", 256);
            two.bindCurrentThread(1);
            MemorySegment first = mapper.allocNode(0); // node 0 maps the one chunk the limit allows
            MemorySegment o = c.alloc(); // no object of c anywhere: node 1 cannot map a chunk, node 0 has pages
            assertEquals(0, two.mappedBytes() - (4L << 20), "no chunk past the limit");
            c.free(o);
            mapper.free(first);
        }
    }

    @Test
    void namesThatWouldForgeSlabinfoRowsAreRefused() {
        for (String bad : List.of("two words", "line\nkmalloc-64 1 1 1", "tab\there", "nul\0")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.createCache(bad, 64));
            assertTrue(e.getMessage().contains("white space, control or format characters"), e.getMessage());
        }
        assertFalse(a.slabinfo().contains("kmalloc-64 1 1 1"));
    }

    /**
     * The spaces that {@link Character#isWhitespace} leaves out, the no-break ones, are white space too: they print as
     * a space in a slabinfo row and split it for a reader that splits on Unicode white space (Python's
     * {@code split()}). The name suggested instead holds none either.
     */
    @Test
    void namesWithANoBreakSpaceAreRefusedWithANameWithout() {
        for (String bad : List.of("no\u00a0break", "figure\u2007space", "narrow\u202fspace", "line\u2028sep")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.createCache(bad, 64));
            assertTrue(e.getMessage().contains("white space, control or format characters"), e.getMessage());
            String suggested = e.getMessage().replaceAll("(?s).*use for example '(.*)'$", "$1");
            assertTrue(suggested.matches("[a-z_]+"), suggested + " in: " + e.getMessage());
        }
    }

    /**
     * A format character (a right-to-left override, a zero-width space, a byte order mark) takes no column, or reorders
     * the columns after it, in a terminal or a log: a name holding one would read as another cache's, or push its row's
     * numbers out of their columns. Refused, as white space is.
     */
    @Test
    void namesWithAFormatCharacterAreRefusedWithANameWithout() {
        for (String bad : List.of("rtl\u202eoverride", "zero\u200bwidth", "bom\ufeff", "kmalloc-64\u2066")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.createCache(bad, 64));
            assertTrue(e.getMessage().contains("white space, control or format characters"), e.getMessage());
            String suggested = e.getMessage().replaceAll("(?s).*use for example '(.*)'$", "$1");
            assertTrue(suggested.matches("[a-z0-9_-]+"), suggested + " in: " + e.getMessage());
        }
    }

    /** After a merged cache's own name is destroyed, its row takes a live alias's name, and tune reaches it by alias. */
    @Test
    void aMergedCacheOutlivingItsNameIsListedAndTunedByItsAlias() {
        KmemCache first = a.createCache("canon", 64);
        KmemCache alias = a.createCache("alias", 64);
        assertTrue(alias.isAlias());
        first.destroy();
        KmemCache again = a.createCache("canon", 200); // the name is free again; a cache of another size
        List<String> rows = a.slabinfo().lines().map(l -> l.split("\\s+")[0]).toList();
        assertEquals(rows.stream().distinct().count(), rows.size(), "duplicate slabinfo rows: " + rows);
        assertTrue(rows.contains("alias") && rows.contains("canon"), rows.toString());
        a.tune("alias", 30, 10, 2);
        assertTrue(
                a.slabinfo().lines().anyMatch(l -> l.startsWith("alias ") && l.contains(": tunables   30   10    2")),
                a.slabinfo());
        alias.destroy();
        again.destroy();
    }

    /** Objects come back in any order, through the cache and through kfree, and every one goes back exactly once. */
    @Test
    void freesInRandomOrderAreAllTakenBackOnce() {
        KmemCache c = a.createCache("shuffled", 64);
        for (boolean viaKfree : new boolean[] {false, true}) {
            List<MemorySegment> objects = new ArrayList<>();
            for (int i = 0; i < 4096; i++) {
                objects.add(c.alloc());
            }
            java.util.Collections.shuffle(objects, new java.util.Random(7));
            for (MemorySegment o : objects) {
                if (viaKfree) {
                    a.kfree(o);
                } else {
                    c.free(o);
                }
            }
            for (MemorySegment o : objects.subList(0, 100)) {
                assertMessage(() -> c.free(o), "double free");
            }
            assertEquals(0, c.stats().inUseObjects());
            Set<Long> again = new HashSet<>();
            for (int i = 0; i < 4096; i++) {
                assertTrue(again.add(c.alloc().address()), "handed out twice");
            }
            for (MemorySegment o : objects) { // the same segments come back: each object has one
                c.free(o);
            }
        }
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String... parts) {
        RuntimeException e = assertThrows(RuntimeException.class, call);
        assertTrue(
                e instanceof IllegalArgumentException || e instanceof IllegalStateException,
                "unexpected " + e.getClass());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' lacks '" + p + "'");
        }
    }
}
