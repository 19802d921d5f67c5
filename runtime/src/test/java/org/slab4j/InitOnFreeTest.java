package org.slab4j;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SlabFlag#INIT_ON_FREE}: a cache that wipes each object when it is freed, so that every free object of it is
 * zero and its {@link KmemCache#zalloc} needs no memset.
 */
class InitOnFreeTest {
    private final SlabAllocator a = SlabAllocator.builder()
            .cpus(2)
            .nodes(1)
            .reapInterval(Duration.ZERO)
            .reportInterval(Duration.ZERO)
            .build();

    @AfterEach
    void close() {
        a.close();
    }

    private static void assertZero(MemorySegment o, String what) {
        long firstNonZero = o.mismatch(MemorySegment.ofArray(new byte[(int) o.byteSize()]));
        assertEquals(-1, firstNonZero, what + ": byte " + firstNonZero + " of " + o + " is not zero");
    }

    /** @return {@code n} new objects of {@code c}, each filled with {@code value} */
    private static List<MemorySegment> filled(KmemCache c, int n, int value) {
        List<MemorySegment> held = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            held.add(c.alloc().fill((byte) value));
        }
        return held;
    }

    @Test
    void aFreedObjectIsWipedAtOnceAndComesBackZero() {
        KmemCache c = a.createCache("wiped", 256, 0, Set.of(SlabFlag.INIT_ON_FREE), null);
        for (MemorySegment o : filled(c, 100, 0xa5)) {
            c.free(o);
            // Read through the stale segment only to see the wipe: the memory is still the slab's.
            assertZero(o, "right after its free");
        }
        for (int i = 0; i < 100; i++) {
            assertZero(c.alloc(), "alloc() of a wiped cache");
        }
    }

    @Test
    void zallocIsZeroOnPagesAnotherCacheLeftDirty() {
        KmemCache dirty = a.createCache("dirty", 256, 0, Set.of(SlabFlag.NO_MERGE), null);
        filled(dirty, 1000, 0xff).forEach(dirty::free);
        dirty.shrink(); // its pages go back to the buddy allocator, full of 0xff
        dirty.destroy();
        KmemCache wiped = a.createCache("wiped", 256, 0, Set.of(SlabFlag.INIT_ON_FREE), null);
        for (int i = 0; i < 1000; i++) {
            MemorySegment o = i % 2 == 0 ? wiped.alloc() : wiped.zalloc();
            assertZero(o, "object " + i + " of a new slab on reused pages");
        }
    }

    @Test
    void objectsFreedOnEveryPathAreWiped() throws Exception {
        KmemCache c = a.createCache("paths", 128, 0, Set.of(SlabFlag.INIT_ON_FREE), null);
        List<MemorySegment> held = filled(c, 2000, 1); // more than a thread's array holds: frees flush batches
        List<MemorySegment> byVirtual = held.subList(0, 500); // a virtual thread's frees take the striped path
        Thread v = Thread.ofVirtual().start(() -> byVirtual.forEach(c::free));
        v.join();
        List<MemorySegment> byOther = held.subList(500, 1000); // another platform thread's own array
        Thread p = Thread.ofPlatform().start(() -> byOther.forEach(c::free));
        p.join();
        held.subList(1000, 2000).forEach(c::free); // no shrink: it would give the slabs' pages back, wiped on reuse
        for (int i = 0; i < 2000; i++) {
            assertZero(c.alloc(), "object " + i);
        }
    }

    @Test
    void aMergeThatRaisesTheSizeKeepsTheWholeObjectZero() {
        KmemCache small = a.createCache("small", 50, 0, Set.of(SlabFlag.INIT_ON_FREE), null); // 56-byte buffers
        MemorySegment o = small.alloc();
        o.fill((byte) 3);
        small.free(o);
        KmemCache large = a.createCache("large", 56, 0, Set.of(SlabFlag.INIT_ON_FREE), null);
        assertTrue(large.isAlias(), "two wiped caches whose buffers agree merge");
        for (int i = 0; i < 100; i++) {
            MemorySegment l = large.alloc();
            assertEquals(56, l.byteSize());
            assertZero(l, "object " + i + " cut to the raised size");
        }
    }

    @Test
    void aWipedCacheMergesOnlyWithWipedCaches() {
        KmemCache plain = a.createCache("plain", 96);
        KmemCache wiped = a.createCache("wiped", 96, 0, Set.of(SlabFlag.INIT_ON_FREE), null);
        assertFalse(wiped.isAlias(), "merged into " + wiped.canonicalName());
        KmemCache plain2 = a.createCache("plain2", 96);
        assertEquals(plain.canonicalName(), plain2.canonicalName());
    }

    @Test
    void noFreelistInsideObjects() {
        KmemCache c = a.createCache("iof", 64, 0, Set.of(SlabFlag.INIT_ON_FREE), null);
        assertNotEquals(FreelistMode.OBJFREELIST, c.geometry().freelistMode());
    }

    @Test
    void contradictoryRequestsAreRefusedByName() {
        Set<SlabFlag> wipe = Set.of(SlabFlag.INIT_ON_FREE);
        IllegalArgumentException ctor = assertThrows(
                IllegalArgumentException.class, () -> a.createCache("built", 64, 0, wipe, o -> o.fill((byte) 1)));
        assertTrue(
                ctor.getMessage().contains("'built'") && ctor.getMessage().contains("constructor"), ctor.getMessage());
        for (SlabFlag other : List.of(SlabFlag.POISON, SlabFlag.TYPESAFE_BY_RCU)) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> a.createCache("both", 64, 0, Set.of(SlabFlag.INIT_ON_FREE, other), null));
            assertTrue(e.getMessage().contains("'both'") && e.getMessage().contains(other.name()), e.getMessage());
        }
        MemorySegment o = a.createCache("fine", 64, 0, wipe, null).zalloc(); // the allocator stays usable
        assertEquals(0, o.get(JAVA_BYTE, 0));
    }

    @Test
    void theGlobalOptionSkipsPoisonedCachesWhichZallocStillZeroes() {
        try (SlabAllocator p = SlabAllocator.builder()
                .initOnFree(true)
                .debug(Set.of(SlabFlag.POISON))
                .build()) {
            KmemCache c = p.createCache("poisoned", 64);
            MemorySegment o = c.alloc();
            o.fill((byte) 9);
            c.free(o);
            assertZero(c.zalloc(), "zalloc of a poisoned cache");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void kzallocZeroesTheWholeSizeClassWhetherOrNotTheAllocatorWipes(boolean initOnFree) {
        try (SlabAllocator k = SlabAllocator.builder().initOnFree(initOnFree).build()) {
            for (int round = 0; round < 300; round++) { // past a thread's array: frees flush, allocations refill
                k.kfree(k.kmalloc(40).fill((byte) 0x77));
            }
            List<MemorySegment> held = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                MemorySegment o = k.kzalloc(40);
                assertEquals(k.ksize(o), o.byteSize());
                assertZero(o, "kzalloc " + i + (initOnFree ? " with initOnFree" : ""));
                held.add(o.fill((byte) 0x77));
            }
            held.forEach(k::kfree);
            assertZero(k.kzalloc(40), "kzalloc after dirty frees");
            assertEquals(0, k.kzalloc(0).byteSize());
        }
    }

    @Test
    void theAllocatorsPoisonWinsOverACachesWipeAndZallocStillZeroes() {
        try (SlabAllocator p =
                SlabAllocator.builder().debug(Set.of(SlabFlag.POISON)).build()) {
            KmemCache c = p.createCache("asked", 64, 0, Set.of(SlabFlag.INIT_ON_FREE), null); // not refused
            MemorySegment o = c.alloc();
            c.free(o);
            assertNotEquals(0, c.alloc().get(JAVA_BYTE, 0), "the poison, not zeroes");
            assertZero(c.zalloc(), "zalloc of a cache whose wipe gave way to the poison");
        }
    }
}
