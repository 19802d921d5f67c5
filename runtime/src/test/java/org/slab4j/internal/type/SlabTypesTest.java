package org.slab4j.internal.type;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.InputStream;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.slab4j.KmemCache;
import org.slab4j.SlabAllocator;
import org.slab4j.SlabConfigurationException;
import org.slab4j.SlabFlag;
import org.slab4j.Slabs;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;
import org.slab4j.internal.config.Settings;
import org.slf4j.LoggerFactory;

/**
 * The type registry without the agent: these classes call the hooks themselves, as instrumented code would.
 */
class SlabTypesTest {
    @Slab(name = "unit-manual", size = 32)
    static final class Manual {
        @SlabSegment
        MemorySegment mem;

        Manual() {
            mem = AgentHooks.construct(this, MethodHandles.lookup());
        }

        /** @param typed whether the hook is told the type, as a class file from Java 5 on tells it */
        Manual(boolean fail, boolean typed) {
            mem = AgentHooks.construct(this, MethodHandles.lookup());
            try {
                if (fail) {
                    throw new IllegalStateException("constructor body failed");
                }
            } catch (RuntimeException e) {
                SlabHooks.constructorFailed(this, typed ? Manual.class : null);
                throw e;
            }
        }
    }

    @Slab(name = "unit-laid", layout = "LAYOUT", ctor = "init", release = Slab.Release.EXPLICIT)
    static final class Laid {
        static final MemoryLayout LAYOUT = MemoryLayout.sequenceLayout(5, JAVA_INT);
        static final AtomicInteger INITS = new AtomicInteger();

        @SlabSegment
        MemorySegment mem;

        Laid() {
            mem = AgentHooks.construct(this, MethodHandles.lookup());
        }

        static void init(MemorySegment m) {
            INITS.incrementAndGet();
            m.set(JAVA_INT, 0, 7);
        }
    }

    @Slab(size = 8)
    static final class NoSegmentField {
        NoSegmentField() {
            AgentHooks.construct(this, MethodHandles.lookup());
        }
    }

    @Slab(name = "unit-churned", size = 16)
    static final class Churned {
        @SlabSegment
        MemorySegment mem;

        Churned() {
            mem = AgentHooks.construct(this, MethodHandles.lookup());
        }
    }

    @Slab(name = "unit-churned-tracked", size = 16, release = Slab.Release.TRACKED)
    static final class ChurnedTracked {
        @SlabSegment
        MemorySegment mem;

        Object slab4j$watch;

        ChurnedTracked() {
            mem = AgentHooks.construct(this, MethodHandles.lookup());
        }
    }

    @Slab(name = "unit-bare", size = 8)
    static final class Bare {
        @SlabSegment
        MemorySegment mem;
    }

    @Slab(name = "unit-lost", size = 16, release = Slab.Release.TRACKED)
    static final class Lost {
        @SlabSegment
        MemorySegment mem;

        /** The field the agent adds to a {@code TRACKED} class. */
        Object slab4j$watch;

        Lost() {
            mem = AgentHooks.construct(this, MethodHandles.lookup());
        }
    }

    @Slab(name = "unit-lost-after-interrupt", size = 16, release = Slab.Release.TRACKED)
    static final class LostAfterInterrupt {
        @SlabSegment
        MemorySegment mem;

        Object slab4j$watch;

        LostAfterInterrupt() {
            mem = AgentHooks.construct(this, MethodHandles.lookup());
        }
    }

    @Slab(name = "unit-sampled", size = 16)
    static final class Sampled {
        @SlabSegment
        MemorySegment mem;

        Sampled() {
            mem = AgentHooks.construct(this, MethodHandles.lookup());
        }
    }

    @Slab(name = "unit-sampled-freed", size = 16)
    static final class SampledFreed {
        @SlabSegment
        MemorySegment mem;

        SampledFreed() {
            mem = AgentHooks.construct(this, MethodHandles.lookup());
        }
    }

    @Slab(name = "unit-static", layout = "LAYOUT")
    static final class WithStatic {
        static final MemoryLayout LAYOUT = JAVA_INT;
        static final WithStatic FIRST = new WithStatic();

        @SlabSegment
        MemorySegment mem;

        WithStatic() {
            mem = AgentHooks.construct(this, MethodHandles.lookup());
        }
    }

    /**
     * The classes here stand for instrumented ones, whose types the agent's constant sets up at their first use; they
     * do not implement {@link Instrumented}, and {@link Slabs#stats(Class)} refuses a class that neither does nor has
     * its type set up. So the types of those whose numbers a test reads before making one are set up first.
     */
    @BeforeAll
    static void setUpTheTypesReadBeforeTheirFirstInstance() {
        for (Class<?> type : List.of(Manual.class, Churned.class, ChurnedTracked.class, SampledFreed.class)) {
            SlabTypes.of(type);
        }
    }

    @Test
    void aClassMayMakeInstancesInItsStaticInitializer() throws IllegalAccessException {
        MethodHandles.lookup().ensureInitialized(WithStatic.class);
        assertEquals(1, Slabs.stats(WithStatic.class).allocations());
        assertEquals(4, WithStatic.FIRST.mem.byteSize());
    }

    /**
     * {@link Slabs#types()} lists the classes whose counters {@link Slabs#allStats()} lists, in its order: a reader of
     * one type at a time (a metrics binder) finds them there, and reads each with {@link Slabs#stats(Class)}.
     */
    @Test
    void typesListTheClassesOfAllStatsInItsOrder() {
        Slabs.free(new Manual());
        List<Class<?>> types = Slabs.types();
        assertTrue(types.contains(Manual.class), types.toString());
        assertEquals(
                Slabs.allStats().stream().map(Slabs.TypeStats::type).toList(),
                types.stream().map(Class::getName).toList());
    }

    /**
     * A type's numbers, read while other threads allocate and free it, never show fewer than 0 live instances: the
     * allocations were read before the frees, which then counted frees of instances allocated after that reading (a
     * metrics gauge of live instances read -136,003 under two threads' churn).
     */
    @Test
    void aTypeReadWhileItChurnsHasNoNegativeLiveCount() throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> churners = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            churners.add(Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    Slabs.free(new Churned());
                }
            }));
        }
        long lowest = 0;
        try {
            for (int i = 0; i < 200_000 && lowest >= 0; i++) {
                lowest = Math.min(lowest, Slabs.stats(Churned.class).live());
            }
        } finally {
            stop.set(true);
            for (Thread t : churners) {
                t.join();
            }
        }
        assertTrue(lowest >= 0, "live instances read " + lowest);
        assertEquals(0, Slabs.stats(Churned.class).live());
    }

    /**
     * A site's numbers, read while other threads allocate and free its type, never show fewer than 0 live instances,
     * as the type's own do: the report's top sites by live bytes showed negative bytes under churn, since a site's
     * allocations were read before its frees.
     */
    @Test
    void aSiteReadWhileItsTypeChurnsHasNoNegativeLiveCount() throws InterruptedException {
        int site = SlabHooks.registerSite(null, ChurnedTracked.class.getName(), "Caller.churn:3");
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> churners = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            churners.add(Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    SlabHooks.enterSite(site);
                    Slabs.free(new ChurnedTracked());
                }
            }));
        }
        long lowest = 0;
        try {
            for (int i = 0; i < 200_000 && lowest >= 0; i++) {
                for (Slabs.SiteStats s : Slabs.stats(ChurnedTracked.class).sites()) {
                    lowest = Math.min(lowest, s.allocations() - s.frees() - s.leaks());
                }
            }
        } finally {
            stop.set(true);
            for (Thread t : churners) {
                t.join();
            }
        }
        assertTrue(lowest >= 0, "live instances of a site read " + lowest);
    }

    @Test
    void constructGivesAZeroedSegmentAndFreeTakesItBackOnce() {
        Slabs.TypeStats before = Slabs.stats(Manual.class);
        Manual m = new Manual();
        assertEquals(32, m.mem.byteSize());
        assertEquals(0, m.mem.get(JAVA_INT, 0));
        m.mem.set(JAVA_INT, 0, 5);
        assertSame(m.mem, Slabs.segmentOf(m));
        assertEquals(before.allocations() + 1, Slabs.stats(Manual.class).allocations());
        Slabs.free(m);
        assertSame(MemorySegment.NULL, m.mem);
        assertEquals(before.frees() + 1, Slabs.stats(Manual.class).frees());
        assertTrue(assertThrows(IllegalStateException.class, () -> Slabs.free(m))
                .getMessage()
                .contains("already freed"));
        assertThrows(IllegalStateException.class, () -> Slabs.segmentOf(m));
        assertEquals(before.frees() + 1, Slabs.stats(Manual.class).frees());
        assertEquals(before.live(), Slabs.stats(Manual.class).live());
    }

    @Slab(name = "unit-owned", size = 24)
    static final class Owned {
        @SlabSegment
        MemorySegment mem;

        Owned() {
            mem = AgentHooks.construct(this, MethodHandles.lookup());
        }
    }

    /**
     * The cache of a {@code @Slab} type belongs to the type: a destroy through {@link Slabs#cacheOf} or through the
     * allocator's list of caches is refused, naming the cache, the class and what to do instead, and the type keeps
     * working.
     */
    @Test
    void theCacheOfATypeCannotBeDestroyedThroughItsHandles() {
        Slabs.free(new Owned());
        KmemCache listed = SlabAllocator.global().caches().stream()
                .filter(c -> c.name().equals("unit-owned"))
                .findFirst()
                .orElseThrow();
        for (KmemCache cache : List.of(Slabs.cacheOf(Owned.class), listed)) {
            String message =
                    assertThrows(IllegalStateException.class, cache::destroy).getMessage();
            assertTrue(message.contains("cache 'unit-owned'"), message);
            assertTrue(message.contains(Owned.class.getName()), message);
            assertTrue(message.contains("shrink()"), message);
            assertTrue(message.contains("nothing changed"), message);
        }
        Owned after = new Owned();
        assertEquals(24, after.mem.byteSize());
        Slabs.free(after);
        Slabs.cacheOf(Owned.class).shrink();
    }

    @Test
    void closedIgnoresAnInstanceAlreadyFreed() {
        Manual m = new Manual();
        SlabHooks.closed(m);
        SlabHooks.closed(m);
        assertSame(MemorySegment.NULL, m.mem);
    }

    @Test
    void instancesWithoutASegmentAndUnannotatedObjectsAreRejected() {
        Bare bare = new Bare();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Slabs.free(bare))
                .getMessage()
                .contains("has no segment"));
        assertEquals(null, bare.mem);
        assertThrows(IllegalArgumentException.class, () -> Slabs.free(new Object()));
        assertThrows(IllegalArgumentException.class, () -> Slabs.stats(Object.class));
        String nullMessage = "the instance is null, not an instance of a @Slab class";
        assertEquals(
                nullMessage,
                assertThrows(NullPointerException.class, () -> Slabs.free(null)).getMessage());
        assertEquals(
                nullMessage,
                assertThrows(NullPointerException.class, () -> Slabs.segmentOf(null))
                        .getMessage());
    }

    @Slab(name = "unit-untouched", size = 8)
    static final class Untouched {
        @SlabSegment
        MemorySegment mem;
    }

    /**
     * An instance of a class that was never instrumented (no agent, an agent whose include= or exclude= leaves it out,
     * or a loader with a runtime copy of its own) is answered without setting up its type, whose cache would start the
     * global allocator just to say so. The message names both options that can leave the class out.
     */
    @Test
    void anUninstrumentedInstanceIsRejectedWithoutSettingUpItsType() {
        Untouched untouched = new Untouched();
        String notInstrumented = Untouched.class.getName() + " was not instrumented by the slab4j agent";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Slabs.segmentOf(untouched))
                .getMessage()
                .startsWith(notInstrumented));
        String message = assertThrows(IllegalArgumentException.class, () -> Slabs.free(untouched))
                .getMessage();
        assertTrue(message.startsWith(notInstrumented), message);
        assertTrue(message.contains("include=") && message.contains("exclude="), message);
        assertTrue(
                SlabTypes.all().stream().noneMatch(t -> t.type() == Untouched.class),
                "a type was set up: " + SlabTypes.all());
    }

    @Slab(name = "unit-unasked", size = 8)
    static final class Unasked {
        @SlabSegment
        MemorySegment mem;
    }

    /**
     * The counters and the cache of a class that was never instrumented (no agent on the JVM's command line, the
     * mistake of a build that leaves the agent out of the test JVM) are refused as its instances are: answering would
     * set up its type, and with it the global allocator and its exit report, only to show zeros that look like a type
     * whose instances were all freed.
     */
    @Test
    void theStatsAndCacheOfAnUninstrumentedClassAreRefusedWithoutSettingUpItsType() {
        String notInstrumented = Unasked.class.getName() + " was not instrumented by the slab4j agent";
        for (Executable read :
                List.<Executable>of(() -> Slabs.stats(Unasked.class), () -> Slabs.cacheOf(Unasked.class))) {
            String message = assertThrows(IllegalArgumentException.class, read).getMessage();
            assertTrue(message.startsWith(notInstrumented), message);
            assertTrue(message.contains("-javaagent:"), message);
        }
        assertTrue(
                SlabTypes.all().stream().noneMatch(t -> t.type() == Unasked.class),
                "a type was set up: " + SlabTypes.all());
    }

    /**
     * A hidden class ({@code Lookup.defineHiddenClass}) is never shown to an agent, so the agent's absence or its
     * include= and exclude= options are not the cause: the message says that it is hidden, and how to load it instead.
     */
    @Test
    void anInstanceOfAHiddenClassIsNamedAsOneThatNoAgentSees() throws Throwable {
        byte[] bytes;
        try (InputStream in = Untouched.class.getResourceAsStream("SlabTypesTest$Untouched.class")) {
            bytes = in.readAllBytes();
        }
        MethodHandles.Lookup hidden = MethodHandles.lookup().defineHiddenClass(bytes, false);
        Object instance = hidden.findConstructor(hidden.lookupClass(), MethodType.methodType(void.class))
                .invoke();
        String segmentOf = assertThrows(IllegalArgumentException.class, () -> Slabs.segmentOf(instance))
                .getMessage();
        String free = assertThrows(IllegalArgumentException.class, () -> Slabs.free(instance))
                .getMessage();
        for (String message : List.of(segmentOf, free)) {
            assertTrue(message.startsWith(hidden.lookupClass().getName() + " is a hidden class"), message);
            assertTrue(message.contains("Lookup.defineClass"), message);
            assertTrue(!message.contains("-javaagent"), message);
        }
    }

    @Slab(name = "unit-copied", size = 8, flags = SlabFlag.POISON)
    static class Copied {
        @SlabSegment
        MemorySegment mem;
    }

    /** As Mockito's subclass mocks are: a generated subclass with a copy of its superclass's annotations. */
    @Slab(name = "unit-copied", size = 8, flags = SlabFlag.POISON)
    static final class Copy extends Copied {}

    /** A subclass that carries its ancestor's {@code @Slab} again, values and all, is of its ancestor's type. */
    @Test
    void aSubclassCarryingACopyOfItsAncestorsSlabIsOfTheAncestorsType() {
        assertSame(SlabTypes.of(Copied.class), SlabTypes.of(Copy.class));
        assertEquals("unit-copied", SlabTypes.of(Copy.class).cache().name());
    }

    /** Also when the hook finds the type from the instance (a class file before Java 5 cannot name it). */
    @Test
    void aFailedConstructorIsNotCounted() {
        for (boolean typed : new boolean[] {true, false}) {
            Slabs.TypeStats before = Slabs.stats(Manual.class);
            assertThrows(IllegalStateException.class, () -> new Manual(true, typed));
            Slabs.TypeStats after = Slabs.stats(Manual.class);
            assertEquals(before.allocations(), after.allocations());
            assertEquals(before.frees(), after.frees());
            assertEquals(before.live(), after.live());
        }
    }

    @Test
    void layoutSizesTheObjectAndCtorConstructsIt() {
        Laid laid = new Laid();
        assertEquals(20, laid.mem.byteSize());
        assertEquals(7, laid.mem.get(JAVA_INT, 0));
        assertTrue(Laid.INITS.get() >= 1);
        Slabs.free(laid);
    }

    @Test
    void aMisconfiguredClassThrowsAtEveryInstantiationAndLogsOnce() {
        ListAppender<ILoggingEvent> errors = new ListAppender<>();
        Logger config = (Logger) LoggerFactory.getLogger("org.slab4j.config");
        errors.start();
        config.addAppender(errors);
        String expected = "@Slab class " + NoSegmentField.class.getName()
                + ": it has no @SlabSegment field; add '@SlabSegment MemorySegment mem;'";
        try {
            for (int i = 0; i < 2; i++) {
                SlabConfigurationException e = assertThrows(SlabConfigurationException.class, NoSegmentField::new);
                assertEquals(expected, e.getMessage());
            }
        } finally {
            config.detachAppender(errors);
        }
        assertEquals(1, errors.list.size(), errors.list.toString());
        assertEquals(Level.ERROR, errors.list.get(0).getLevel());
        assertEquals(expected, errors.list.get(0).getFormattedMessage());
    }

    @Test
    void aSetUpFailureIsExplainedByItsRootCause() {
        IllegalArgumentException range = new IllegalArgumentException("nodes must be between 1 and 64, not -1");
        assertEquals(
                "SlabAllocator.global() failed: nodes must be between 1 and 64, not -1",
                SlabTypes.rootCause(new ExceptionInInitializerError(
                        new IllegalStateException("SlabAllocator.global() failed: " + range.getMessage(), range))));
        assertEquals(
                "nodes must be between 1 and 64, not -1",
                SlabTypes.rootCause(new ExceptionInInitializerError(new RuntimeException("wrapped", range))));
        assertEquals(
                "java.lang.ArithmeticException: / by zero",
                SlabTypes.rootCause(new ExceptionInInitializerError(new ArithmeticException("/ by zero"))));
        assertEquals("java.lang.NoClassDefFoundError: a/B", SlabTypes.rootCause(new NoClassDefFoundError("a/B")));
    }

    @Test
    void allocationsAreAttributedToThePendingSiteOfTheirType() {
        int here = SlabHooks.registerSite(null, Manual.class.getName(), "Caller.here:10");
        int other = SlabHooks.registerSite(null, Laid.class.getName(), "Caller.other:20");
        SlabHooks.enterSite(here);
        Manual first = new Manual();
        SlabHooks.enterSite(other);
        Manual second = new Manual();
        List<Slabs.SiteStats> sites = Slabs.stats(Manual.class).sites();
        assertEquals(
                1,
                sites.stream()
                        .filter(s -> s.location().equals("Caller.here:10"))
                        .findFirst()
                        .orElseThrow()
                        .allocations());
        assertTrue(sites.stream().noneMatch(s -> s.location().equals("Caller.other:20")));
        Slabs.free(first);
        Slabs.free(second);
        SlabHooks.enterSite(0);
    }

    @Test
    void aCloneAndADeserializedCopyGetTheirOwnSegments() {
        Manual original = new Manual();
        original.mem.set(JAVA_INT, 4, 42);
        Manual copy = new Manual();
        Slabs.free(copy);
        copy.mem = original.mem;
        SlabHooks.cloned(copy, original, Manual.class);
        assertNotEquals(original.mem.address(), copy.mem.address());
        assertEquals(42, copy.mem.get(JAVA_INT, 4));

        byte[] content = SlabTypes.content(original);
        Manual restored = new Manual();
        Slabs.free(restored);
        SlabTypes.restore(restored, Manual.class, content);
        assertArrayEquals(content, SlabTypes.content(restored));
        List.of(original, copy, restored).forEach(Slabs::free);
    }

    @Test
    void lostTrackedInstancesAreReclaimedAfterGc() throws InterruptedException {
        for (int i = 0; i < 10; i++) {
            assertEquals(16, new Lost().mem.byteSize());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (Slabs.stats(Lost.class).leaks() < 10 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        Slabs.TypeStats stats = Slabs.stats(Lost.class);
        assertEquals(10, stats.leaks());
        assertEquals(0, stats.live());
        assertEquals(0, stats.frees());
    }

    /**
     * An interrupt of the reclaimer's thread (an application interrupting every thread of its group, say) does not end
     * it: it ended there once, and from then on no lost instance was reclaimed, no cache of an unloaded class destroyed,
     * and an allocation at the memory limit waited for reclaims that never came.
     */
    @Test
    void theReclaimerOutlivesAnInterrupt() throws InterruptedException {
        Slabs.free(new LostAfterInterrupt()); // the reclaimer is started
        Thread reclaimer = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("slab4j-reclaimer"))
                .findFirst()
                .orElseThrow();
        reclaimer.interrupt();
        for (int i = 0; i < 10; i++) {
            assertEquals(16, new LostAfterInterrupt().mem.byteSize());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (Slabs.stats(LostAfterInterrupt.class).leaks() < 10 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(reclaimer.isAlive(), "the reclaimer's thread ended on the interrupt");
        assertEquals(10, Slabs.stats(LostAfterInterrupt.class).leaks());
        assertEquals(0, Slabs.stats(LostAfterInterrupt.class).live());
    }

    @Test
    void lostInstancesOfTheDefaultPolicyAreSampledReportedWithTheirSiteAndReclaimed() throws InterruptedException {
        ListAppender<ILoggingEvent> warnings = new ListAppender<>();
        Logger leaks = (Logger) LoggerFactory.getLogger("org.slab4j.leaks");
        warnings.start();
        leaks.addAppender(warnings);
        int site = SlabHooks.registerSite(null, Sampled.class.getName(), "Caller.lose:7");
        int lost = 1000;
        try {
            for (int i = 0; i < lost; i++) {
                SlabHooks.enterSite(site);
                assertEquals(16, new Sampled().mem.byteSize());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (Slabs.stats(Sampled.class).leaks() < lost / LeakSampling.DEFAULT_RATE
                    && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(20);
            }
        } finally {
            leaks.detachAppender(warnings);
        }
        Slabs.TypeStats stats = Slabs.stats(Sampled.class);
        long watched = (lost + LeakSampling.DEFAULT_RATE - 1) / LeakSampling.DEFAULT_RATE;
        assertEquals(watched, stats.leaks(), "one in " + LeakSampling.DEFAULT_RATE + " is watched");
        assertEquals(lost - watched, stats.live(), "the others leak, as EXPLICIT's do");
        assertEquals(
                watched,
                stats.sites().stream()
                        .filter(s -> s.location().equals("Caller.lose:7"))
                        .findFirst()
                        .orElseThrow()
                        .leaks());
        List<String> ours = warnings.list.stream()
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains(Sampled.class.getName()))
                .toList();
        assertEquals(1, ours.size(), ours.toString());
        String warning = ours.get(0);
        assertTrue(
                warning.contains("LEAK: an instance of " + Sampled.class.getName() + " made at Caller.lose:7"),
                warning);
    }

    @Test
    void freesOfSampledInstancesAreNotCountedAsLeaks() throws InterruptedException {
        long leaks = Slabs.stats(SampledFreed.class).leaks();
        long live = Slabs.stats(SampledFreed.class).live();
        for (int i = 0; i < 1000; i++) {
            Slabs.free(new SampledFreed());
        }
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(leaks, Slabs.stats(SampledFreed.class).leaks());
        assertEquals(live, Slabs.stats(SampledFreed.class).live());
    }

    @Test
    void theLeakOptionsAreReadAndABadValueIsNamedAndLeavesTheDefault() {
        assertEquals(LeakSampling.DEFAULT_RATE, leakEvery(Map.of(), List.of()));
        assertEquals(0, leakEvery(Map.of("slab4j.leaks", "off"), List.of()));
        assertEquals(1, leakEvery(Map.of("slab4j.leaks", "all"), List.of()));
        assertEquals(16, leakEvery(Map.of("slab4j.leaks", "sample", "slab4j.leakRate", "16"), List.of()));
        assertEquals(
                LeakSampling.DEFAULT_RATE,
                leakEvery(
                        Map.of("slab4j.leaks", "some"),
                        List.of("slab4j: system property slab4j.leaks=some ignored: leaks must be sample, all or off,"
                                + " not 'some'; the next source or the default (sample) applies")));
        List<String> warned = new ArrayList<>();
        Properties zero = new Properties();
        zero.setProperty("slab4j.leakRate", "0");
        assertEquals(
                LeakSampling.DEFAULT_RATE, LeakSampling.every(new Settings(Map.of(), zero, Map.of()), warned::add));
        assertTrue(
                warned.getFirst().startsWith("slab4j: system property slab4j.leakRate=0 ignored"), warned.toString());
    }

    private static int leakEvery(Map<String, String> properties, List<String> expectedWarnings) {
        Properties p = new Properties();
        p.putAll(properties);
        List<String> warned = new ArrayList<>();
        int every = LeakSampling.every(new Settings(Map.of(), p, Map.of()), warned::add);
        assertEquals(expectedWarnings, warned);
        return every;
    }
}
