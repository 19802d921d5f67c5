package org.slab4j;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** POISON, RED_ZONE and STORE_USER report misuse as the kernel's CONFIG_DEBUG_SLAB does, and the program goes on. */
class DebugFlagsTest {
    private final SlabAllocator a =
            SlabAllocator.builder().cpus(2).reapInterval(Duration.ZERO).build();
    private final ListAppender<ILoggingEvent> reports = new ListAppender<>();
    private final Logger debugLog = (Logger) LoggerFactory.getLogger("org.slab4j.debug");

    @BeforeEach
    void capture() {
        reports.start();
        debugLog.addAppender(reports);
    }

    @AfterEach
    void release() {
        debugLog.detachAppender(reports);
        a.close();
    }

    private List<String> messages() {
        return reports.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void poisonCatchesAWriteAfterFree() {
        KmemCache c = a.createCache("poisoned", 48, 0, Set.of(SlabFlag.POISON, SlabFlag.STORE_USER), null);
        MemorySegment o = c.alloc();
        assertEquals(0x5a, o.get(JAVA_BYTE, 0), "allocated objects are poisoned 0x5a (POISON_INUSE)");
        c.free(o);
        assertEquals(0x6b, o.get(JAVA_BYTE, 0));
        assertEquals((byte) 0xa5, o.get(JAVA_BYTE, 47));
        o.set(JAVA_LONG, 16, 0x1122334455667788L); // use after free
        MemorySegment again = c.alloc(); // LIFO: the same object
        assertEquals(o.address(), again.address());
        List<String> m = messages();
        assertEquals(1, m.size(), m.toString());
        String r = m.getFirst();
        assertTrue(r.contains("cache 'poisoned'") && r.contains("write after free"), r);
        assertTrue(r.contains("offset 16") && r.contains("88 77 66 55"), r);
        assertTrue(r.contains("last freed by org.slab4j.DebugFlagsTest.poisonCatchesAWriteAfterFree"), r);
        assertTrue(r.contains("on thread '"), r);
        c.free(again); // the program goes on
        assertEquals(2, c.allocations());
    }

    @Test
    @SuppressWarnings("restricted") // reinterpret plays the native code that overruns the object
    void redZonesCatchAnOverflowOnFree() {
        KmemCache c = a.createCache("zoned", 40, 0, Set.of(SlabFlag.RED_ZONE), null);
        SlabGeometry g = c.geometry();
        assertEquals(40 + 16, g.size(), "two red zone words");
        MemorySegment o = c.alloc();
        // Native code writing past the object's end, through the raw address (FFM itself would refuse).
        MemorySegment.ofAddress(o.address() + 40).reinterpret(8).set(JAVA_LONG, 0, 42L);
        c.free(o);
        String r = messages().getFirst();
        assertTrue(r.contains("cache 'zoned'") && r.contains("outside the object was overwritten"), r);
        assertTrue(r.contains("0x000000000000002a"), r);
        MemorySegment next = c.alloc();
        c.free(next);
        assertEquals(1, messages().size(), "after the report the red zones are reset and all is quiet");
    }

    @Test
    void debugCachesClampTheLimitAndNeverMerge() {
        KmemCache plain = a.createCache("plain64", 64);
        KmemCache dbg = a.createCache("debug64", 64, 0, Set.of(SlabFlag.POISON), null);
        assertFalse(dbg.isAlias());
        assertFalse(a.createCache("debug64b", 64, 0, Set.of(SlabFlag.STORE_USER), null)
                .isAlias());
        var rows = SlabinfoRows.parse(a.slabinfo());
        assertEquals(120, rows.get("plain64").limit());
        assertEquals(32, rows.get("debug64").limit(), "a debug kernel clamps the limit to 32");
        plain.free(plain.alloc());
    }

    @Test
    void aPoisonedCacheRunsItsConstructorOnEveryAllocation() {
        AtomicInteger calls = new AtomicInteger();
        KmemCache c = a.createCache("poisoned-ctor", 128, 0, Set.of(SlabFlag.POISON), m -> {
            calls.incrementAndGet();
            m.set(JAVA_LONG, 0, 7L);
        });
        List<MemorySegment> objs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            MemorySegment o = c.alloc();
            assertEquals(7L, o.get(JAVA_LONG, 0));
            objs.add(o);
        }
        objs.forEach(c::free);
        assertEquals(10, calls.get());
        assertTrue(messages().isEmpty(), messages().toString());
    }

    /**
     * A poisoned cache runs its constructor on every allocation, after the object was taken: a constructor that throws
     * there must fail the allocation as {@link SlabCtor} says (an {@link IllegalStateException} naming the cache, with
     * the cause) and give the object back, or it stays allocated with no owner and the cache can never be destroyed.
     */
    @Test
    void aPoisonedCachesFailingConstructorGivesTheObjectBack() {
        AtomicInteger calls = new AtomicInteger();
        KmemCache c = a.createCache("poisoned-flaky", 64, 0, Set.of(SlabFlag.POISON), m -> {
            if (calls.incrementAndGet() % 2 == 0) {
                throw new IllegalArgumentException("boom");
            }
        });
        List<MemorySegment> objs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            try {
                objs.add(c.alloc());
            } catch (IllegalStateException e) {
                assertTrue(e.getMessage().contains("'poisoned-flaky'"), e.getMessage());
                assertEquals("boom", e.getCause().getMessage());
            }
        }
        assertEquals(3, objs.size());
        objs.forEach(c::free);
        assertEquals(0, c.stats().inUseObjects(), c.stats().toString());
        c.destroy();
        assertTrue(messages().isEmpty(), messages().toString());
    }

    /**
     * In a poisoned cache the constructor gets an object already allocated, so a constructor that frees it (directly or
     * through {@code kfree}) puts it back on the free lists: the allocation must not hand it out as well, or the next
     * allocation hands the same memory to a second owner.
     */
    @Test
    void aPoisonedCachesConstructorThatFreesItsObjectFailsTheAllocation() {
        KmemCache[] self = new KmemCache[1];
        AtomicInteger calls = new AtomicInteger();
        self[0] = a.createCache("poisoned-freeing", 64, 0, Set.of(SlabFlag.POISON), m -> {
            if (calls.incrementAndGet() == 1) {
                self[0].free(m);
            }
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, self[0]::alloc);
        assertTrue(e.getMessage().contains("'poisoned-freeing'"), e.getMessage());
        MemorySegment first = self[0].alloc();
        MemorySegment second = self[0].alloc();
        assertNotEquals(first.address(), second.address(), "one object handed out twice");
        self[0].free(first);
        self[0].free(second);
        assertEquals(0, self[0].stats().inUseObjects(), self[0].stats().toString());
        self[0].destroy();
    }

    /**
     * A constructor that frees its object and then allocates from the same cache gets that very object back (the
     * thread's array is a stack): the object is allocated again, but to the constructor, so the outer allocation must
     * still fail, or the caller and the constructor both own the same memory.
     */
    @Test
    void aPoisonedCachesConstructorThatFreesItsObjectAndAllocatesAgainFailsTheAllocation() {
        KmemCache[] self = new KmemCache[1];
        AtomicInteger calls = new AtomicInteger();
        List<MemorySegment> kept = new ArrayList<>();
        self[0] = a.createCache("poisoned-realloc", 64, 0, Set.of(SlabFlag.POISON), m -> {
            if (calls.incrementAndGet() == 1) {
                self[0].free(m);
                kept.add(self[0].alloc()); // the same object, constructed by the nested call
            }
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, self[0]::alloc);
        assertTrue(e.getMessage().contains("'poisoned-realloc'"), e.getMessage());
        assertEquals(1, kept.size());
        MemorySegment next = self[0].alloc();
        assertNotEquals(kept.get(0).address(), next.address(), "one object handed out twice");
        self[0].free(kept.get(0));
        self[0].free(next);
        assertEquals(0, self[0].stats().inUseObjects(), self[0].stats().toString());
        self[0].destroy();
    }

    /** As above, with a constructor that then throws: the failed allocation must not free what the constructor got. */
    @Test
    void aPoisonedCachesConstructorThatFreesItsObjectAllocatesAgainAndThrowsLeavesTheNewOwnerAlone() {
        KmemCache[] self = new KmemCache[1];
        AtomicInteger calls = new AtomicInteger();
        List<MemorySegment> kept = new ArrayList<>();
        self[0] = a.createCache("poisoned-realloc-throw", 64, 0, Set.of(SlabFlag.POISON), m -> {
            if (calls.incrementAndGet() == 1) {
                self[0].free(m);
                kept.add(self[0].alloc());
                throw new IllegalArgumentException("boom");
            }
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, self[0]::alloc);
        assertTrue(e.getMessage().contains("'poisoned-realloc-throw'"), e.getMessage());
        assertTrue(e.getMessage().contains("it had freed the object itself"), e.getMessage());
        assertEquals(1, kept.size());
        assertEquals(1, self[0].stats().inUseObjects(), "the constructor's object: " + self[0].stats());
        self[0].free(kept.get(0)); // still its owner's to free
        assertEquals(0, self[0].stats().inUseObjects(), self[0].stats().toString());
        self[0].destroy();
    }

    @Test
    void objfreelistSlabsStayCleanUnderPoison() {
        KmemCache c = a.createCache("objfl", 64, 0, Set.of(SlabFlag.POISON), null);
        assertEquals(FreelistMode.OBJFREELIST, c.geometry().freelistMode());
        List<MemorySegment> objs = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 500; i++) {
                objs.add(c.alloc());
            }
            objs.forEach(c::free);
            objs.clear();
            c.shrink();
        }
        assertTrue(messages().isEmpty(), "the freelist inside a free object is no write after free: " + messages());
    }

    /** {@code slab_want_init_on_free}: a poisoned cache keeps its poison on free, so reuse is no write after free. */
    @Test
    void initOnFreeLeavesPoisonedCachesAlone() {
        try (SlabAllocator z = SlabAllocator.builder().initOnFree(true).build()) {
            KmemCache c = z.createCache("poisoned-zeroed", 64, 0, Set.of(SlabFlag.POISON), null);
            for (int i = 0; i < 3; i++) {
                MemorySegment o = c.alloc();
                c.free(o);
                assertEquals(0x6b, o.get(JAVA_BYTE, 0), "freed objects keep POISON_FREE, not zeroes");
            }
            assertEquals(List.of(), messages());
            assertEquals(FreelistMode.OBJFREELIST, c.geometry().freelistMode(), "as the kernel picks for 64 bytes");
        }
    }
}
