package org.slab4j.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.search.Search;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import org.slab4j.CacheStats;
import org.slab4j.KmemCache;
import org.slab4j.SlabAllocator;
import org.slab4j.SlabStatistics;
import org.slab4j.Slabs;

/**
 * Micrometer meters for one allocator: {@code new SlabMetrics(allocator).bindTo(registry)}. Every meter is tagged
 * {@code allocator} (the allocator's name) and, per cache, {@code cache}; per {@code @Slab} type (for the global
 * allocator, where their instances live) also {@code type} (the class name).
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>kind</th><th>unit</th><th>what</th></tr>
 *   <tr><td>{@code slab4j.allocator.mapped}</td><td>gauge</td><td>bytes</td><td>native memory mapped</td></tr>
 *   <tr><td>{@code slab4j.cache.objects}, tag {@code state}: {@code in.use}, {@code cached}, {@code free}</td>
 *       <td>gauge</td><td>objects</td><td>where the cache's objects are: handed out; free in per-thread, shared
 *       and alien arrays; on the slabs' freelists</td></tr>
 *   <tr><td>{@code slab4j.cache.capacity}</td><td>gauge</td><td>objects</td><td>objects in all slabs (the sum
 *       of the three states)</td></tr>
 *   <tr><td>{@code slab4j.cache.slabs}</td><td>gauge</td><td>slabs</td><td>slabs of all nodes</td></tr>
 *   <tr><td>{@code slab4j.cache.memory}</td><td>gauge</td><td>bytes</td><td>bytes of the pages of the slabs</td></tr>
 *   <tr><td>{@code slab4j.cache.allocations}, {@code slab4j.cache.frees}</td><td>function counter</td>
 *       <td>objects</td><td>objects allocated and freed through the cache's handles (its aliases too, destroyed ones
 *       included, so that the counts never go down; an alias created and destroyed between two refreshes is not
 *       seen)</td></tr>
 *   <tr><td>{@code slab4j.cache.misses}, tag {@code op}: {@code refill}, {@code flush}</td><td>function
 *       counter</td><td>misses</td><td>allocations that found the per-thread array empty and frees that found
 *       it full ({@code cpustat allocmiss}, {@code freemiss}); only when the allocator keeps statistics</td></tr>
 *   <tr><td>{@code slab4j.type.live}</td><td>gauge</td><td>objects</td><td>instances holding a segment</td></tr>
 *   <tr><td>{@code slab4j.type.allocations}, {@code .frees}, {@code .leaks}</td><td>function counter</td>
 *       <td>objects</td><td>segments given, freed, and reclaimed after GC without a free</td></tr>
 * </table>
 *
 * <p>Caches and types come and go: {@link #refresh()} registers the meters of new ones and removes those of destroyed
 * caches (and all of them once the allocator is closed). {@code bindTo} refreshes every {@code refresh} interval on a
 * daemon thread (10 seconds unless given), until {@link #close()}. Reading a meter reads the allocator then (a cache's
 * {@link KmemCache#stats()}, {@link Slabs#stats(Class)} for a type, {@link KmemCache#statistics()} for the misses).
 */
public final class SlabMetrics implements MeterBinder, AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.slab4j.micrometer");
    /** The allocator's own gauge: registered first on binding, so its presence says the allocator is bound there. */
    private static final String MAPPED = "slab4j.allocator.mapped";

    /** How often {@link #bindTo} brings the meters in step with the caches and types, unless told otherwise. */
    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(10);

    private static final String OBJECTS = "objects";

    private final SlabAllocator allocator;
    private final Duration refreshInterval;
    private final boolean statistics;
    private final boolean global;
    private final List<Binding> bindings = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService scheduler;
    private ScheduledFuture<?> refreshing;

    /** Meters for {@code allocator}, refreshed every {@link #DEFAULT_REFRESH}. */
    public SlabMetrics(SlabAllocator allocator) {
        this(allocator, DEFAULT_REFRESH);
    }

    /**
     * @param allocator the allocator to measure
     * @param refresh how often {@link #bindTo} brings the meters in step; {@link Duration#ZERO}: only when
     *     {@link #refresh()} is called
     * @throws IllegalArgumentException when {@code refresh} is negative
     */
    public SlabMetrics(SlabAllocator allocator, Duration refresh) {
        if (refresh.isNegative()) {
            throw new IllegalArgumentException("SlabMetrics of allocator '" + allocator.name()
                    + "': the refresh interval must be zero (manual) or positive, not " + refresh);
        }
        this.allocator = allocator;
        this.refreshInterval = refresh;
        this.statistics = allocator.slabinfo().startsWith("slabinfo - version: 2.1 (statistics)");
        this.global = isGlobal(allocator);
    }

    /**
     * Asks {@link SlabAllocator#global()} only of an allocator named as the global one: that call starts the global
     * allocator (a mapped chunk, threads, MBeans, an exit report) in a program that may never use it.
     */
    private static boolean isGlobal(SlabAllocator allocator) {
        if (!allocator.name().equals("global")) {
            return false;
        }
        try {
            return allocator == SlabAllocator.global();
        } catch (IllegalStateException e) {
            return false; // the global allocator failed to start: this one is another
        }
    }

    /**
     * @throws IllegalStateException when the registry has the meters of an allocator of this name already (bound by
     *     another binder, or by this one): the registry would hand this binder those meters, and closing either binder
     *     would remove them for both
     */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        if (mapped(registry).gauge() != null) {
            throw new IllegalStateException("SlabMetrics of allocator '" + allocator.name()
                    + "': this registry has that allocator's meters already; bind an allocator once per registry, or"
                    + " close the SlabMetrics that bound it first");
        }
        Binding b = new Binding(registry);
        bindings.add(b);
        // Strongly held, unlike the other meters' objects: it keeps this binder, and so them, reachable from the
        // registry.
        Gauge.builder(MAPPED, this, m -> m.allocator.isClosed() ? Double.NaN : m.allocator.mappedBytes())
                .strongReference(true)
                .tags(Tags.of("allocator", allocator.name()))
                .description("native memory the allocator has mapped")
                .baseUnit(BaseUnits.BYTES)
                .register(registry);
        b.refresh();
        if (!refreshInterval.isZero() && refreshing == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                // Nothing of the thread that bound it, as the runtime's own threads: no context class loader (a
                // deployment's would stay reachable) and no inherited thread locals.
                Thread t = Thread.ofPlatform()
                        .daemon()
                        .name("slab4j-metrics-" + allocator.name())
                        .inheritInheritableThreadLocals(false)
                        .unstarted(r);
                t.setContextClassLoader(null);
                return t;
            });
            long millis = Math.max(1, refreshInterval.toMillis());
            refreshing =
                    scheduler.scheduleWithFixedDelay(this::scheduledRefresh, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * {@link #refresh} on the scheduler's thread: a failure (a registry's meter filter that throws, a moment without
     * memory) is logged and the next refresh runs as usual, since a scheduled task that throws is never run again.
     */
    private void scheduledRefresh() {
        try {
            refresh();
        } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "slab4j: a refresh of the meters of allocator '" + allocator.name()
                            + "' failed; the next runs as usual",
                    e);
        }
    }

    /** Registers the meters of caches and types that are new since the last refresh, removes those of gone caches. */
    public synchronized void refresh() {
        for (Binding b : bindings) {
            b.refresh();
        }
    }

    /** Stops the refreshes and removes every meter this binder registered. */
    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
            refreshing = null;
        }
        for (Binding b : bindings) {
            b.removeAll();
        }
        bindings.clear();
    }

    /** @return the search for this allocator's {@link #MAPPED} gauge in {@code registry} */
    private Search mapped(MeterRegistry registry) {
        return registry.find(MAPPED).tag("allocator", allocator.name());
    }

    /** The meters registered in one registry, by cache name and by type. */
    private final class Binding {
        private final MeterRegistry registry;
        private final Map<String, CacheMeters> caches = new HashMap<>();
        private final Map<String, TypeMeters> types = new HashMap<>();

        Binding(MeterRegistry registry) {
            this.registry = registry;
        }

        void refresh() {
            List<KmemCache> handles = allocator.isClosed() ? List.of() : handles();
            Map<String, List<KmemCache>> byCache = new HashMap<>();
            for (KmemCache h : handles) {
                byCache.computeIfAbsent(h.canonicalName(), k -> new ArrayList<>())
                        .add(h);
            }
            for (var it = caches.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (!byCache.containsKey(e.getKey())) {
                    remove(e.getValue().meters);
                    it.remove();
                }
            }
            for (var e : byCache.entrySet()) {
                // The cache's own handle, or (its own name destroyed, the cache living on under an alias's) an alias
                KmemCache h = e.getValue().stream()
                        .filter(k -> !k.isAlias())
                        .findFirst()
                        .orElse(e.getValue().getFirst());
                CacheMeters old = caches.get(e.getKey());
                if (old != null && !old.cache.equals(h)) { // destroyed and created again under its name
                    remove(old.meters);
                    caches.remove(e.getKey());
                    old = null;
                }
                if (old == null) {
                    caches.put(e.getKey(), new CacheMeters(registry, h));
                }
            }
            for (var e : caches.entrySet()) {
                e.getValue().follow(byCache.get(e.getKey()));
            }
            if (global) {
                refreshTypes();
            }
        }

        private List<KmemCache> handles() {
            try {
                return allocator.caches();
            } catch (IllegalStateException e) {
                return List.of(); // closed while read
            }
        }

        /**
         * Lists the types ({@link Slabs#types()}, and each one's {@link Slabs#stats(Class)} for its tags): once per
         * refresh, not per reading.
         */
        private void refreshTypes() {
            Set<String> live = new HashSet<>();
            for (Class<?> c : typeClasses()) {
                Slabs.TypeStats t;
                try {
                    t = Slabs.stats(c);
                } catch (IllegalStateException e) {
                    break; // closed while read: the loop below removes them all
                }
                String key = key(t);
                live.add(key);
                TypeMeters old = types.get(key);
                if (old != null && old.type.get() != c) { // its class unloaded, a new one of the name in its cache
                    remove(old.meters);
                    old = null;
                }
                if (old == null) {
                    types.put(key, new TypeMeters(registry, c, t));
                }
            }
            for (var it = types.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (!live.contains(e.getKey()) || allocator.isClosed()) {
                    remove(e.getValue().meters);
                    it.remove();
                }
            }
        }

        private List<Class<?>> typeClasses() {
            return allocator.isClosed() ? List.of() : Slabs.types();
        }

        void removeAll() {
            for (CacheMeters c : caches.values()) {
                remove(c.meters);
            }
            for (TypeMeters t : types.values()) {
                remove(t.meters);
            }
            caches.clear();
            types.clear();
            mapped(registry).meters().forEach(registry::remove);
        }

        private void remove(List<Meter> meters) {
            for (Meter m : meters) {
                registry.remove(m);
            }
        }
    }

    /**
     * The live handles of a cache, and what its destroyed handles counted: a destroyed alias's counts stay in the
     * cache's counters, which would otherwise go down (read as a counter reset by monitoring systems).
     */
    private record Handles(List<KmemCache> live, double destroyedAllocations, double destroyedFrees) {}

    /** The meters of one cache, reading its canonical handle and, for the counts, all its handles. */
    private final class CacheMeters {
        final KmemCache cache;
        final List<Meter> meters = new ArrayList<>();
        volatile Handles handles;

        CacheMeters(MeterRegistry registry, KmemCache cache) {
            this.cache = cache;
            this.handles = new Handles(List.of(cache), 0, 0);
            Tags tags = Tags.of("allocator", allocator.name(), "cache", cache.canonicalName());
            objects(registry, tags, "in.use", CacheStats::inUseObjects);
            objects(registry, tags, "cached", CacheStats::cachedObjects);
            objects(registry, tags, "free", CacheStats::freeObjects);
            gauge(registry, "slab4j.cache.capacity", tags, "objects in all slabs", OBJECTS, CacheStats::totalObjects);
            gauge(registry, "slab4j.cache.slabs", tags, "slabs of all nodes", "slabs", CacheStats::slabs);
            gauge(
                    registry,
                    "slab4j.cache.memory",
                    tags,
                    "bytes of the pages of the cache's slabs",
                    BaseUnits.BYTES,
                    CacheStats::slabBytes);
            counter(
                    registry,
                    "slab4j.cache.allocations",
                    tags,
                    "objects allocated",
                    KmemCache::allocations,
                    Handles::destroyedAllocations);
            counter(registry, "slab4j.cache.frees", tags, "objects freed", KmemCache::frees, Handles::destroyedFrees);
            if (statistics) {
                misses(
                        registry,
                        tags,
                        "refill",
                        SlabStatistics::allocMiss,
                        "allocations that found the per-thread array empty (allocmiss)");
                misses(
                        registry,
                        tags,
                        "flush",
                        SlabStatistics::freeMiss,
                        "frees that found the per-thread array full (freemiss)");
            }
        }

        private void objects(MeterRegistry registry, Tags tags, String state, ToDoubleFunction<CacheStats> f) {
            gauge(
                    registry,
                    "slab4j.cache.objects",
                    tags.and("state", state),
                    "the cache's objects: in use, cached in arrays, free on slabs",
                    OBJECTS,
                    f);
        }

        private void gauge(
                MeterRegistry registry,
                String name,
                Tags tags,
                String description,
                String unit,
                ToDoubleFunction<CacheStats> f) {
            meters.add(Gauge.builder(name, this, m -> m.read(f))
                    .tags(tags)
                    .description(description)
                    .baseUnit(unit)
                    .register(registry));
        }

        private double read(ToDoubleFunction<CacheStats> f) {
            try {
                return f.applyAsDouble(cache.stats());
            } catch (IllegalStateException e) {
                return Double.NaN; // the allocator is closed
            }
        }

        private void counter(
                MeterRegistry registry,
                String name,
                Tags tags,
                String description,
                ToDoubleFunction<KmemCache> perHandle,
                ToDoubleFunction<Handles> destroyed) {
            meters.add(FunctionCounter.builder(name, this, m -> m.sum(perHandle, destroyed))
                    .tags(tags)
                    .description(description)
                    .baseUnit(OBJECTS)
                    .register(registry));
        }

        private double sum(ToDoubleFunction<KmemCache> perHandle, ToDoubleFunction<Handles> destroyed) {
            Handles h = handles;
            double sum = destroyed.applyAsDouble(h);
            try {
                for (KmemCache k : h.live()) {
                    sum += perHandle.applyAsDouble(k);
                }
            } catch (IllegalStateException e) {
                return Double.NaN;
            }
            return sum;
        }

        /**
         * Takes the cache's live handles of this refresh; a handle destroyed since the last one leaves its counts
         * (final: a destroyed handle allocates and frees no more) to the counters.
         */
        void follow(List<KmemCache> live) {
            Handles old = handles;
            double allocations = old.destroyedAllocations();
            double frees = old.destroyedFrees();
            try {
                for (KmemCache k : old.live()) {
                    if (!live.contains(k)) {
                        allocations += k.allocations();
                        frees += k.frees();
                    }
                }
            } catch (IllegalStateException e) {
                return; // closed while read: the next refresh removes the meters
            }
            handles = new Handles(List.copyOf(live), allocations, frees);
        }

        private void misses(
                MeterRegistry registry,
                Tags tags,
                String op,
                ToLongFunction<SlabStatistics> column,
                String description) {
            meters.add(FunctionCounter.builder("slab4j.cache.misses", this, m -> m.statistic(column))
                    .tags(tags.and("op", op))
                    .description(description)
                    .baseUnit("misses")
                    .register(registry));
        }

        /**
         * @return a column of the cache's statistics, read without slabinfo (whose text a reading of every cache would
         *     render once per cache: 5.8-9.1 s a scrape with 1,000 caches)
         */
        private double statistic(ToLongFunction<SlabStatistics> column) {
            try {
                return column.applyAsLong(cache.statistics());
            } catch (IllegalStateException e) {
                return Double.NaN;
            }
        }
    }

    /**
     * The meters of one {@code @Slab} type, reading it alone ({@link Slabs#stats(Class)}; a reading of every type to
     * pick one made a scrape of N types cost N times N: 0.9-1.6 s for 1,010 types). Its class is held weakly, so that
     * the meters keep no class loader: once the class is gone, they read NaN until the next refresh removes them. The
     * binding's map holds this object, the meters hold it weakly.
     */
    private final class TypeMeters {
        final WeakReference<Class<?>> type;
        final List<Meter> meters = new ArrayList<>();

        TypeMeters(MeterRegistry registry, Class<?> type, Slabs.TypeStats t) {
            this.type = new WeakReference<>(type);
            Tags tags = Tags.of("allocator", allocator.name(), "cache", t.cache(), "type", t.type());
            meters.add(Gauge.builder("slab4j.type.live", this, m -> m.read(Slabs.TypeStats::live))
                    .tags(tags)
                    .description("@Slab instances holding a segment")
                    .baseUnit(OBJECTS)
                    .register(registry));
            counter(
                    registry,
                    "slab4j.type.allocations",
                    tags,
                    "segments given to instances",
                    Slabs.TypeStats::allocations);
            counter(registry, "slab4j.type.frees", tags, "segments freed explicitly", Slabs.TypeStats::frees);
            counter(
                    registry,
                    "slab4j.type.leaks",
                    tags,
                    "segments reclaimed after GC without a free",
                    Slabs.TypeStats::leaks);
        }

        private void counter(
                MeterRegistry registry,
                String name,
                Tags tags,
                String description,
                ToDoubleFunction<Slabs.TypeStats> f) {
            meters.add(FunctionCounter.builder(name, this, m -> m.read(f))
                    .tags(tags)
                    .description(description)
                    .baseUnit(OBJECTS)
                    .register(registry));
        }

        private double read(ToDoubleFunction<Slabs.TypeStats> f) {
            Class<?> c = type.get();
            if (c == null) {
                return Double.NaN; // its class unloaded
            }
            try {
                return f.applyAsDouble(Slabs.stats(c));
            } catch (IllegalStateException e) {
                return Double.NaN; // the allocator is closed
            }
        }
    }

    private static String key(Slabs.TypeStats t) {
        return t.type() + " in " + t.cache();
    }
}
