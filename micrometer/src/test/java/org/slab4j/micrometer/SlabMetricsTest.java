package org.slab4j.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slab4j.KmemCache;
import org.slab4j.SlabAllocator;
import org.slab4j.SlabFlag;

/** {@link SlabMetrics} in a {@link SimpleMeterRegistry}, over an allocator of the test's own. */
class SlabMetricsTest {
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private SlabAllocator allocator;
    private SlabMetrics metrics;

    @AfterEach
    void close() {
        if (metrics != null) {
            metrics.close();
        }
        if (allocator != null) {
            allocator.close();
        }
    }

    private KmemCache bind(boolean statistics) {
        allocator = SlabAllocator.builder()
                .name("metrics-test")
                .statistics(statistics)
                .build();
        KmemCache orders = allocator.createCache("orders", 64);
        metrics = new SlabMetrics(allocator, Duration.ZERO);
        metrics.bindTo(registry);
        return orders;
    }

    private double gauge(String name, String cache, String... tags) {
        return registry.get(name)
                .tags("allocator", "metrics-test", "cache", cache)
                .tags(tags)
                .gauge()
                .value();
    }

    private double counter(String name, String cache, String... tags) {
        return registry.get(name)
                .tags("allocator", "metrics-test", "cache", cache)
                .tags(tags)
                .functionCounter()
                .count();
    }

    private List<Meter> metersOf(String cache) {
        return registry.find("slab4j.cache.objects").tag("cache", cache).meters().stream()
                .map(Meter.class::cast)
                .toList();
    }

    /**
     * Binding an allocator of one's own leaves the global allocator alone: telling whether it was the global one
     * started the global allocator (a mapped chunk, its threads, its MBeans, and an exit report of allocator 'global'
     * in a program that never used it).
     */
    @Test
    void bindingAnotherAllocatorDoesNotStartTheGlobalOne() throws Exception {
        bind(false);
        assertFalse(
                ManagementFactory.getPlatformMBeanServer()
                        .isRegistered(new ObjectName("org.slab4j:type=SlabAllocator,name=global")),
                "SlabMetrics of allocator 'metrics-test' started the global allocator");
    }

    @Test
    void gaugesAndCountersReadTheCache() {
        KmemCache orders = bind(true);
        List<MemorySegment> held = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            held.add(orders.alloc());
        }
        for (int i = 0; i < 3; i++) {
            orders.free(held.remove(held.size() - 1));
        }
        var stats = orders.stats();
        assertEquals(7, gauge("slab4j.cache.objects", "orders", "state", "in.use"));
        assertEquals(stats.cachedObjects(), gauge("slab4j.cache.objects", "orders", "state", "cached"));
        assertEquals(stats.freeObjects(), gauge("slab4j.cache.objects", "orders", "state", "free"));
        assertEquals(stats.totalObjects(), gauge("slab4j.cache.capacity", "orders"));
        assertEquals(stats.slabs(), gauge("slab4j.cache.slabs", "orders"));
        assertTrue(stats.slabs() > 0, stats.toString());
        assertEquals(stats.slabBytes(), gauge("slab4j.cache.memory", "orders"));
        assertEquals(
                "bytes", registry.get("slab4j.cache.memory").gauge().getId().getBaseUnit());
        assertEquals(10, counter("slab4j.cache.allocations", "orders"));
        assertEquals(3, counter("slab4j.cache.frees", "orders"));
        // the first allocation found the thread's array empty and refilled it
        assertTrue(counter("slab4j.cache.misses", "orders", "op", "refill") >= 1);
        assertTrue(counter("slab4j.cache.misses", "orders", "op", "flush") >= 0);
        assertEquals(
                allocator.mappedBytes(),
                registry.get("slab4j.allocator.mapped")
                        .tag("allocator", "metrics-test")
                        .gauge()
                        .value());
        held.forEach(orders::free);
    }

    @Test
    void noMissCountersWithoutStatistics() {
        bind(false);
        assertTrue(registry.find("slab4j.cache.misses").meters().isEmpty());
        assertEquals(0, counter("slab4j.cache.allocations", "orders"));
    }

    @Test
    void metersFollowCachesCreatedAndDestroyed() {
        KmemCache orders = bind(false);
        assertEquals(3, metersOf("orders").size());
        KmemCache later = allocator.createCache("later", 100);
        assertTrue(metersOf("later").isEmpty());
        metrics.refresh();
        assertEquals(3, metersOf("later").size());
        orders.destroy();
        metrics.refresh();
        assertTrue(metersOf("orders").isEmpty());
        assertTrue(registry.find("slab4j.cache.allocations")
                .tag("cache", "orders")
                .meters()
                .isEmpty());
        assertEquals(3, metersOf("later").size());
        later.destroy();
    }

    @Test
    void aCacheDestroyedAndCreatedAgainUnderItsNameIsReadAfterARefresh() {
        KmemCache orders = bind(false);
        orders.destroy();
        KmemCache again = allocator.createCache("orders", 64);
        metrics.refresh();
        List<MemorySegment> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            held.add(again.alloc());
        }
        assertEquals(5, gauge("slab4j.cache.objects", "orders", "state", "in.use"));
        assertEquals(again.stats().slabBytes(), gauge("slab4j.cache.memory", "orders"));
        assertEquals(5, counter("slab4j.cache.allocations", "orders"));
        held.forEach(again::free);
        again.destroy();
    }

    /**
     * A merged cache whose own name is destroyed lives on under its alias's name (its slabinfo row takes it): its meters
     * follow it there, and read it.
     */
    @Test
    void aMergedCacheWhoseOwnNameIsDestroyedIsReadUnderItsAlias() {
        KmemCache orders = bind(false);
        KmemCache quotes = allocator.createCache("quotes", 64);
        assertTrue(quotes.isAlias(), "merged");
        metrics.refresh();
        orders.destroy();
        metrics.refresh();
        List<MemorySegment> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            held.add(quotes.alloc());
        }
        assertEquals(5, gauge("slab4j.cache.objects", "quotes", "state", "in.use"));
        assertTrue(metersOf("orders").isEmpty(), "no meters left on the destroyed name");
        held.forEach(quotes::free);
    }

    /**
     * A cache's allocation and free counters count through its aliases too; destroying an alias took its counts out of
     * them, so the counters went down, which a monitoring system reads as a counter reset (Prometheus's {@code rate()}
     * then counts the whole total again).
     */
    @Test
    void theCacheCountersKeepTheCountsOfADestroyedAlias() {
        KmemCache orders = bind(false);
        KmemCache quotes = allocator.createCache("quotes", 64);
        assertTrue(quotes.isAlias(), "merged");
        metrics.refresh();
        for (int i = 0; i < 5; i++) {
            quotes.free(quotes.alloc());
        }
        orders.free(orders.alloc());
        assertEquals(6, counter("slab4j.cache.allocations", "orders"));
        quotes.destroy();
        metrics.refresh();
        assertEquals(6, counter("slab4j.cache.allocations", "orders"), "the counter went down");
        assertEquals(6, counter("slab4j.cache.frees", "orders"));
    }

    /**
     * A scheduled refresh that fails (here a registry's meter filter throws once) is logged, and the next one runs: a
     * scheduled task that throws is never run again.
     */
    @Test
    void aFailedScheduledRefreshDoesNotEndTheRefreshes() throws InterruptedException {
        allocator = SlabAllocator.builder().name("metrics-test").build();
        AtomicBoolean failOnce = new AtomicBoolean(true);
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if ("first".equals(id.getTag("cache")) && failOnce.getAndSet(false)) {
                    throw new IllegalStateException("a registry's meter filter");
                }
                return id;
            }
        });
        metrics = new SlabMetrics(allocator, Duration.ofMillis(10));
        metrics.bindTo(registry);
        allocator.createCache("first", 64, 0, Set.of(SlabFlag.NO_MERGE), null);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (failOnce.get() && System.nanoTime() < deadline) {
            Thread.sleep(5); // the scheduled refresh that fails
        }
        assertFalse(failOnce.get(), "the refresh met the failing filter");
        allocator.createCache("second", 64, 0, Set.of(SlabFlag.NO_MERGE), null);
        while (metersOf("second").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertFalse(metersOf("second").isEmpty(), "a refresh after the failed one");
    }

    /**
     * A second binder of the allocator in the same registry (a Spring bean that the container binds and the application
     * binds again, or a child context's) was handed the first one's meters by the registry: closing either removed them
     * for both, and the other never registered them again. The second {@code bindTo} is refused, naming the allocator,
     * and the first binder's meters stay.
     */
    @Test
    void aSecondBindingOfTheAllocatorInOneRegistryIsRefusedAndLeavesTheFirstsMeters() {
        bind(false);
        SlabMetrics second = new SlabMetrics(allocator, Duration.ZERO);
        IllegalStateException refused = null;
        try {
            second.bindTo(registry);
        } catch (IllegalStateException e) {
            refused = e;
        }
        second.close();
        metrics.refresh();
        assertEquals(3, metersOf("orders").size(), "closing the second binder removed the first one's meters");
        assertEquals(
                1,
                registry.find("slab4j.allocator.mapped")
                        .tag("allocator", "metrics-test")
                        .gauges()
                        .size());
        assertNotNull(refused, "a second binding of the allocator in one registry");
        assertTrue(refused.getMessage().contains("'metrics-test'"), refused.getMessage());
        assertThrows(IllegalStateException.class, () -> metrics.bindTo(registry), "the same binder twice");
        assertEquals(3, metersOf("orders").size());
    }

    @Test
    void aClosedAllocatorLeavesNoCacheMetersAndCloseRemovesAll() {
        bind(false);
        allocator.close();
        metrics.refresh();
        assertTrue(registry.find("slab4j.cache.objects").meters().isEmpty());
        assertTrue(Double.isNaN(registry.get("slab4j.allocator.mapped").gauge().value()));
        metrics.close();
        assertTrue(registry.getMeters().isEmpty(), registry.getMeters().toString());
    }

    @Test
    void aNegativeRefreshIsRefusedNamingTheAllocator() {
        allocator = SlabAllocator.builder().name("metrics-test").build();
        var e = assertThrows(IllegalArgumentException.class, () -> new SlabMetrics(allocator, Duration.ofSeconds(-1)));
        assertTrue(e.getMessage().contains("'metrics-test'"), e.getMessage());
    }

    /** A binder bound by a deployment's code keeps nothing of it in its refresh thread, which outlives the call. */
    @Test
    void theRefreshThreadKeepsNoContextClassLoaderOfTheCodeThatBoundIt() {
        allocator = SlabAllocator.builder().name("metrics-test").build();
        Thread binder = Thread.currentThread();
        ClassLoader before = binder.getContextClassLoader();
        ClassLoader deployment = new URLClassLoader(new URL[0], before);
        binder.setContextClassLoader(deployment);
        try {
            metrics = new SlabMetrics(allocator, Duration.ofHours(1));
            metrics.bindTo(registry);
        } finally {
            binder.setContextClassLoader(before);
        }
        // Scheduling the refresh started the executor's thread (ScheduledThreadPoolExecutor prestarts one).
        Thread refresher = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("slab4j-metrics-metrics-test"))
                .findFirst()
                .orElseThrow();
        assertTrue(
                refresher.getContextClassLoader() != deployment,
                "the refresh thread keeps the deployment's class loader");
    }
}
