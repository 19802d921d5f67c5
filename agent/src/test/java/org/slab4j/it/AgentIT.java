package org.slab4j.it;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slab4j.KmemCache;
import org.slab4j.SlabAllocator;
import org.slab4j.Slabs;
import org.slab4j.it.Fixtures.Blank;
import org.slab4j.it.Fixtures.Chained;
import org.slab4j.it.Fixtures.Contested;
import org.slab4j.it.Fixtures.Copyable;
import org.slab4j.it.Fixtures.Counted;
import org.slab4j.it.Fixtures.Forgotten;
import org.slab4j.it.Fixtures.Laid;
import org.slab4j.it.Fixtures.Lost;
import org.slab4j.it.Fixtures.Point;
import org.slab4j.it.Fixtures.Ram;
import org.slab4j.it.Fixtures.Resource;
import org.slab4j.it.Fixtures.RushOrder;
import org.slab4j.it.Fixtures.Saved;
import org.slab4j.it.Fixtures.Sheep;
import org.slab4j.it.Fixtures.Throwing;
import org.slab4j.it.Fixtures.Vector;

/** Runs with the packaged agent: instances of {@code @Slab} classes get, use and give back their segments. */
class AgentIT {
    @Test
    void segmentIsLiveInTheConstructor() {
        Order order = new Order(42);
        assertEquals(42, order.idSeenInConstructor);
        assertEquals(64, Slabs.segmentOf(order).byteSize());
        assertSame(order.mem, Slabs.segmentOf(order));
        assertEquals(Order.MAGIC, order.mem.get(JAVA_LONG, 8), "the cache constructor ran on the object");
        Slabs.free(order);
    }

    @Test
    void theCacheConstructorRunsOncePerObjectWhenASlabGrowsNeverOnAlloc() {
        int perSlab = Slabs.cacheOf(Counted.class).geometry().objectsPerSlab();
        List<Counted> made = new ArrayList<>();
        for (int i = 0; i < 2 * perSlab + 1; i++) {
            made.add(new Counted());
        }
        long runs = Counted.RUNS.get();
        assertEquals(0, runs % perSlab, "whole slabs constructed: " + runs + " runs, " + perSlab + " per slab");
        assertTrue(runs >= made.size(), runs + " runs for " + made.size() + " objects");
        made.forEach(Slabs::free);
        made.clear();
        for (int i = 0; i < 2 * perSlab + 1; i++) {
            made.add(new Counted());
        }
        assertEquals(runs, Counted.RUNS.get(), "recycled objects are not constructed again");
        made.forEach(Slabs::free);
    }

    @Test
    void compatibleTypesShareOneCacheAndKeepTheirOwnCounts() {
        Point p = new Point();
        Vector v = new Vector();
        Vector w = new Vector();
        KmemCache points = Slabs.cacheOf(Point.class);
        KmemCache vectors = Slabs.cacheOf(Vector.class);
        assertTrue(vectors.isAlias(), vectors.toString());
        assertEquals(points.canonicalName(), vectors.canonicalName());
        assertEquals(vectors.canonicalName(), Slabs.stats(Vector.class).sharedCache());
        assertTrue(Slabs.report().contains(Vector.class.getName()), Slabs.report());
        assertEquals(1, Slabs.stats(Point.class).allocations());
        assertEquals(2, Slabs.stats(Vector.class).allocations());
        List.of(p, v, w).forEach(Slabs::free);
    }

    /**
     * A type without a cache constructor starts zeroed, as Java fields do; its cache wipes each segment when it is freed
     * ({@code INIT_ON_FREE}) rather than when it is handed out. A type with one keeps its constructed state while free.
     */
    @Test
    void aTypeWithoutACtorIsWipedWhenFreedAndOneWithACtorIsNot() {
        byte[] zeroes = new byte[40];
        Blank p = new Blank();
        MemorySegment mem = Slabs.segmentOf(p);
        assertEquals(-1, mem.mismatch(MemorySegment.ofArray(zeroes)), "a new instance starts zeroed");
        mem.fill((byte) 0x5a);
        Slabs.free(p);
        // Read through the kept segment only to see the wipe: the memory is still the cache's.
        assertEquals(-1, mem.mismatch(MemorySegment.ofArray(zeroes)), "wiped by the free");
        Blank q = new Blank();
        assertEquals(-1, Slabs.segmentOf(q).mismatch(MemorySegment.ofArray(zeroes)), "and handed out zeroed");
        Slabs.free(q);

        Order order = new Order(7);
        MemorySegment constructed = Slabs.segmentOf(order);
        Slabs.free(order);
        assertEquals(Order.MAGIC, constructed.get(JAVA_LONG, 8), "a free object stays constructed");
    }

    @Test
    void aTypeWithACtorIsNotMerged() {
        new Order(0).hashCode();
        assertFalse(Slabs.cacheOf(Order.class).isAlias());
    }

    @Test
    void layoutGivesTheSize() {
        Laid laid = new Laid();
        assertEquals(8, laid.mem.byteSize());
        Slabs.free(laid);
    }

    @Test
    void freeReturnsTheSegmentAndASecondFreeIsAnError() {
        Order order = new Order(1);
        long frees = Slabs.stats(Order.class).frees();
        Slabs.free(order);
        assertSame(MemorySegment.NULL, order.mem);
        assertEquals(frees + 1, Slabs.stats(Order.class).frees());
        IllegalStateException again = assertThrows(IllegalStateException.class, () -> Slabs.free(order));
        assertTrue(again.getMessage().contains("already freed"), again.getMessage());
        assertThrows(IllegalStateException.class, () -> Slabs.segmentOf(order));
        assertEquals(frees + 1, Slabs.stats(Order.class).frees());
    }

    /**
     * The free goes through the method the agent added (its class's constant field handle): threads racing to free one
     * instance find exactly one winner, and its segment goes back once.
     */
    @Test
    void threadsRacingToFreeOneInstanceFreeItOnce() throws Exception {
        assertTrue(org.slab4j.internal.type.Instrumented.class.isAssignableFrom(Order.class));
        int rounds = 200;
        int threads = 4;
        long frees = Slabs.stats(Order.class).frees();
        long cacheFrees = Slabs.cacheOf(Order.class).frees();
        AtomicInteger won = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        for (int r = 0; r < rounds; r++) {
            Order order = new Order(r);
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> racers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                racers.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                        Slabs.free(order);
                        won.incrementAndGet();
                    } catch (IllegalStateException e) {
                        refused.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            go.countDown();
            for (Thread t : racers) {
                t.join();
            }
        }
        assertEquals(rounds, won.get());
        assertEquals(rounds * (threads - 1), refused.get());
        assertEquals(frees + rounds, Slabs.stats(Order.class).frees());
        assertEquals(cacheFrees + rounds, Slabs.cacheOf(Order.class).frees());
    }

    @Test
    void freeOfAnUnannotatedObjectIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Slabs.free("not a slab object"));
    }

    @Test
    void closeFreesAfterItsBodyAndIsIdempotent() {
        Resource resource = new Resource();
        long frees = Slabs.stats(Resource.class).frees();
        resource.close();
        assertTrue(resource.closedBodyRan, "close() body saw the live segment");
        assertSame(MemorySegment.NULL, resource.mem);
        resource.close();
        assertEquals(frees + 1, Slabs.stats(Resource.class).frees());
    }

    @Test
    void chainedConstructorsTakeOneSegment() {
        long before = Slabs.stats(Chained.class).allocations();
        Chained chained = new Chained();
        assertEquals(7, chained.mem.get(JAVA_INT, 0));
        assertEquals(before + 1, Slabs.stats(Chained.class).allocations());
        Slabs.free(chained);
    }

    @Test
    void aThrowingConstructorGivesItsSegmentBack() {
        var before = Slabs.stats(Throwing.class);
        assertThrows(IllegalArgumentException.class, () -> new Throwing(true));
        var after = Slabs.stats(Throwing.class);
        assertEquals(before.allocations(), after.allocations());
        assertEquals(before.live(), after.live());
        Throwing ok = new Throwing(false);
        assertEquals(before.allocations() + 1, Slabs.stats(Throwing.class).allocations());
        Slabs.free(ok);
    }

    @Test
    void aThrowingChainedConstructorGivesItsSegmentBackOnce() {
        var before = Slabs.stats(Chained.class);
        assertThrows(IllegalStateException.class, () -> new Chained(true));
        var after = Slabs.stats(Chained.class);
        assertEquals(before.allocations(), after.allocations());
        assertEquals(before.live(), after.live());
    }

    @Test
    void reflectionAndMethodHandlesGetFreshSegments() throws Throwable {
        Order reflected = Order.class.getConstructor(long.class).newInstance(5L);
        Order handled = (Order) MethodHandles.lookup()
                .findConstructor(Order.class, MethodType.methodType(void.class, long.class))
                .invoke(6L);
        assertEquals(5, reflected.id());
        assertEquals(6, handled.id());
        assertNotEquals(reflected.mem.address(), handled.mem.address());
        Slabs.free(reflected);
        Slabs.free(handled);
    }

    @Test
    void aCloneGetsItsOwnCopyOfTheSegment() {
        Copyable original = new Copyable();
        original.mem.set(JAVA_INT, 0, 99);
        Copyable copy = original.clone();
        assertNotEquals(original.mem.address(), copy.mem.address());
        assertEquals(99, copy.mem.get(JAVA_INT, 0));
        copy.mem.set(JAVA_INT, 0, 1);
        assertEquals(99, original.mem.get(JAVA_INT, 0));
        Slabs.free(original);
        Slabs.free(copy);
    }

    @Test
    void deserializationGivesAFreshSegmentWithTheSameBytes() throws Exception {
        Saved saved = new Saved();
        saved.mem.set(JAVA_LONG, 8, 1234);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(saved);
        }
        Saved copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (Saved) in.readObject();
        }
        assertEquals("saved", copy.label);
        assertEquals(1234, copy.mem.get(JAVA_LONG, 8));
        assertNotEquals(saved.mem.address(), copy.mem.address());
        Slabs.free(saved);
        Slabs.free(copy);
    }

    @Test
    void theRuntimeIsOneCopyOnTheBootstrapClassPath() {
        assertNull(Slabs.class.getClassLoader(), "the test class path has slab4j-runtime too; bootstrap must win");
    }

    @Test
    void theRuntimeLogsThroughItsRelocatedSlf4jBoundToJavaUtilLogging() throws Exception {
        Class<?> factory = Class.forName("org.slab4j.shaded.slf4j.LoggerFactory", true, null);
        Object logger = factory.getMethod("getLogger", String.class).invoke(null, "org.slab4j.it");
        assertEquals(
                "org.slab4j.shaded.slf4j.jul.JDK14LoggerAdapter",
                logger.getClass().getName());
    }

    @Test
    void lostInstancesAreReclaimedAfterGcAndCountedAsLeaksAtTheirSite() throws InterruptedException {
        int lost = loseSome();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (Slabs.stats(Lost.class).leaks() < lost && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        var stats = Slabs.stats(Lost.class);
        assertEquals(lost, stats.leaks());
        assertEquals(0, stats.live());
        var site = stats.sites().stream()
                .filter(s -> s.location().contains(".loseSome:"))
                .findFirst()
                .orElseThrow();
        assertEquals(lost, site.leaks());
        // The reclaimer frees them into its own thread's array; idle, it gives them back to their slabs.
        SlabAllocator.global().drainCurrentThread(); // what this thread cached when it allocated them
        while (Slabs.cacheOf(Lost.class).stats().cachedObjects() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(
                0,
                Slabs.cacheOf(Lost.class).stats().cachedObjects(),
                Slabs.cacheOf(Lost.class).stats()::toString);
    }

    @Test
    void lostInstancesOfTheDefaultPolicyAreReportedAsLeaksAtTheirSiteAfterGc() throws InterruptedException {
        forgetSome();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (forgottenAtTheirSite().leaks() == 0 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(forgottenAtTheirSite().leaks() > 0, forgottenAtTheirSite().toString());
        assertTrue(Slabs.stats(Forgotten.class).leaks() > 0);
    }

    private static Slabs.SiteStats forgottenAtTheirSite() {
        return Slabs.stats(Forgotten.class).sites().stream()
                .filter(s -> s.location().contains(".forgetSome:"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void anUnwatchedCloneOfAWatchedInstanceDoesNotEndTheOriginalsWatch() throws Exception {
        Sheep original = new Sheep(); // the type's first instance: watched
        Slabs.free(original.copy()); // the second: not watched
        WeakReference<Sheep> lost = new WeakReference<>(original);
        original = null;
        assertLostOriginalIsALeak(Sheep.class, lost);
    }

    @Test
    void theFreeOfATrackedCloneDoesNotEndTheOriginalsWatch() throws Exception {
        Ram original = new Ram();
        Slabs.free(original.copy()); // Object.clone copied the original's watch field
        WeakReference<Ram> lost = new WeakReference<>(original);
        original = null;
        assertLostOriginalIsALeak(Ram.class, lost);
    }

    private static void assertLostOriginalIsALeak(Class<?> type, WeakReference<?> lost) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while ((lost.get() != null || Slabs.stats(type).leaks() == 0) && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(1, Slabs.stats(type).leaks(), "the lost original is still watched");
        assertEquals(0, Slabs.stats(type).live());
    }

    @Test
    void twoThreadsFreeingTheSameInstanceFreeItOnce() throws Exception {
        long frees = Slabs.stats(Contested.class).frees();
        int rounds = 20_000;
        AtomicInteger refused = new AtomicInteger();
        for (int i = 0; i < rounds; i++) {
            Contested contested = new Contested();
            CountDownLatch go = new CountDownLatch(1);
            Runnable free = () -> {
                try {
                    go.await();
                    Slabs.free(contested);
                } catch (IllegalStateException e) {
                    refused.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            Thread other = Thread.ofPlatform().start(free);
            go.countDown();
            free.run();
            other.join();
        }
        assertEquals(rounds, refused.get(), "one of each pair is told the instance was already freed");
        assertEquals(frees + rounds, Slabs.stats(Contested.class).frees());
        assertEquals(0, Slabs.stats(Contested.class).live());
    }

    private static void forgetSome() {
        for (int i = 0; i < 1000; i++) {
            assertEquals(24, new Forgotten().mem.byteSize());
        }
    }

    private static int loseSome() {
        int made = 0;
        for (int i = 0; i < 100; i++) {
            made += new Lost().mem.byteSize() == 8 ? 1 : 0;
        }
        return made;
    }

    @Test
    void aSubclassSharesItsParentsCache() {
        RushOrder rush = new RushOrder(3);
        assertEquals(64, rush.mem.byteSize());
        assertEquals(3, rush.id());
        assertEquals(Order.class.getName(), Slabs.stats(RushOrder.class).type());
        assertSame(Slabs.cacheOf(Order.class), Slabs.cacheOf(RushOrder.class));
        Slabs.free(rush);
    }

    @Test
    void unusualConstructorShapesAreInstrumented() {
        Shapes.Inner inner = Shapes.inner();
        assertEquals(3, inner.mem.get(JAVA_INT, 0));
        Shapes.Busy busy = new Shapes.Busy(5);
        assertEquals(2, busy.reader.getAsInt());
        assertEquals(5, busy.mem.get(JAVA_INT, 4));
        Shapes.Busy negative = new Shapes.Busy(-1);
        assertEquals(-1, negative.reader.getAsInt());
        Shapes.BoxOfBox boxes = new Shapes.BoxOfBox();
        assertEquals(8, boxes.mem.byteSize());
        assertEquals(8, boxes.value.mem.byteSize());
        assertNotEquals(boxes.mem.address(), boxes.value.mem.address());
        Shapes.Triangle triangle = new Shapes.Triangle();
        assertEquals(3, triangle.mem.get(JAVA_INT, 0));
        List.of(inner, busy, negative, boxes, boxes.value, triangle).forEach(Slabs::free);
    }

    @Test
    void allocationsAreCountedPerSite() {
        List<Laid> made = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            made.add(new Laid());
        }
        made.add(new Laid());
        var sites = Slabs.stats(Laid.class).sites();
        String loop = AgentIT.class.getName() + ".allocationsAreCountedPerSite:";
        var atLoop = sites.stream()
                .filter(s -> s.location().startsWith(loop))
                .map(Slabs.SiteStats::allocations)
                .sorted()
                .toList();
        assertEquals(List.of(1L, 3L), atLoop, sites.toString());
        made.forEach(Slabs::free);
        assertTrue(Slabs.report().contains(loop), Slabs.report());
    }
}
