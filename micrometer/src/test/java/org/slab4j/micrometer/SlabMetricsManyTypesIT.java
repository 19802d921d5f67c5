package org.slab4j.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slab4j.SlabAllocator;
import org.slab4j.Slabs;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;

/**
 * The type meters of {@link SlabMetrics} with many {@code @Slab} types: {@link Gadget} loaded by a thousand class
 * loaders of its own, each copy a type with its cache ({@code gadget#2}, ...), as a server of many deployments has.
 */
class SlabMetricsManyTypesIT {
    @Slab(name = "gadget", size = 24) // named: its simple name would ask for its enclosing class, of another loader
    public static final class Gadget {
        @SlabSegment
        MemorySegment mem;

        public Gadget() {}
    }

    /** Loads {@link Gadget} itself, everything else through its parent: every loader makes another class of it. */
    private static final class OwnGadget extends ClassLoader {
        OwnGadget() {
            super(OwnGadget.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(Gadget.class.getName())) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    String file = name.replace('.', '/') + ".class";
                    try (InputStream in = getParent().getResourceAsStream(file)) {
                        byte[] b = in.readAllBytes();
                        c = defineClass(name, b, 0, b.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                return c;
            }
        }
    }

    /** The instances (one per class, held, so that the classes and their types stay). */
    private final List<Object> held = new ArrayList<>();

    private void addTypes(int n) throws ReflectiveOperationException {
        for (int i = 0; i < n; i++) {
            held.add(new OwnGadget()
                    .loadClass(Gadget.class.getName())
                    .getDeclaredConstructor()
                    .newInstance());
        }
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** @return the bytes this thread allocates reading the four meters of the type whose cache is {@code cache} */
    private long bytesToReadOneType(MeterRegistry registry, String cache) {
        List<Meter> meters = new ArrayList<>();
        for (String name :
                List.of("slab4j.type.live", "slab4j.type.allocations", "slab4j.type.frees", "slab4j.type.leaks")) {
            meters.addAll(registry.find(name).tag("cache", cache).meters());
        }
        assertEquals(4, meters.size(), meters.toString());
        double sum = 0;
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (Meter m : meters) {
            sum += m instanceof Gauge g ? g.value() : ((FunctionCounter) m).count();
        }
        long bytes = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertEquals(2, sum, "live 1, allocations 1, no frees or leaks");
        return bytes;
    }

    /**
     * Reading one type's meters reads that type alone: each reading built the counters and site lists of every type
     * ({@link Slabs#allStats()}) to pick one, so a scrape of N types cost N times N. Measured by the bytes a reading
     * allocates (no clock): with 1,000 more types it stays the same.
     */
    @Test
    void readingOneTypeCostsTheSameWithAThousandMoreTypes() throws ReflectiveOperationException {
        addTypes(10);
        String cache = Slabs.stats(held.getFirst().getClass()).cache();
        MeterRegistry registry = new SimpleMeterRegistry();
        try (SlabMetrics metrics = new SlabMetrics(SlabAllocator.global(), Duration.ZERO)) {
            metrics.bindTo(registry);
            long few = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                few = Math.min(few, bytesToReadOneType(registry, cache));
            }
            addTypes(1000);
            metrics.refresh();
            long many = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                many = Math.min(many, bytesToReadOneType(registry, cache));
            }
            System.out.println("reading one type's 4 meters allocates " + few + " bytes with " + 10 + " types, " + many
                    + " with " + held.size());
            scrape(registry, held.size());
            assertTrue(
                    many <= 2 * few + 4096,
                    "reading one type's meters allocated " + few + " bytes with 10 types, " + many + " with "
                            + held.size());
        }
        held.forEach(Slabs::free);
    }

    /**
     * The meters of a type keep neither its class nor its loader: once the deployment is dropped its loader is
     * collected, and the next refresh removes the type's meters.
     */
    @Test
    void theMetersOfATypeLetItsLoaderGo() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (SlabMetrics metrics = new SlabMetrics(SlabAllocator.global(), Duration.ZERO)) {
            metrics.bindTo(registry);
            String[] cache = new String[1];
            WeakReference<ClassLoader> loader = deployAndDrop(metrics, registry, cache);
            for (int i = 0; i < 500 && loader.get() != null; i++) {
                System.gc();
                Thread.sleep(10);
            }
            assertNull(loader.get(), "the type's loader is kept");
            for (int i = 0;
                    i < 500
                            && !registry.find("slab4j.type.live")
                                    .tag("cache", cache[0])
                                    .meters()
                                    .isEmpty();
                    i++) {
                Thread.sleep(10); // the type's retirement, on the reclaimer's thread
                metrics.refresh();
            }
            assertTrue(
                    registry.find("slab4j.type.live")
                            .tag("cache", cache[0])
                            .meters()
                            .isEmpty(),
                    cache[0]);
        }
    }

    /** Makes and frees an instance of a {@link Gadget} of a loader of its own, binds its meters, and drops it all. */
    private static WeakReference<ClassLoader> deployAndDrop(SlabMetrics metrics, MeterRegistry registry, String[] cache)
            throws ReflectiveOperationException {
        ClassLoader loader = new OwnGadget();
        Object gadget = loader.loadClass(Gadget.class.getName())
                .getDeclaredConstructor()
                .newInstance();
        cache[0] = Slabs.stats(gadget.getClass()).cache();
        Slabs.free(gadget);
        metrics.refresh();
        assertEquals(
                1,
                registry.get("slab4j.type.frees")
                        .tag("cache", cache[0])
                        .functionCounter()
                        .count());
        return new WeakReference<>(loader);
    }

    /** Reads every meter, as a registry's scrape does, and prints how long that took (no assertion on it). */
    private static void scrape(MeterRegistry registry, int types) {
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            double sum = 0;
            int meters = 0;
            for (Meter m : registry.getMeters()) {
                for (var measurement : m.measure()) {
                    sum += measurement.getValue();
                }
                meters++;
            }
            System.out.printf(
                    "scrape of %d meters (%d types): %.1f ms (sum %.0f)%n",
                    meters, types, (System.nanoTime() - start) / 1e6, sum);
        }
    }
}
