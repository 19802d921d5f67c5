package org.slab4j;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.slab4j.internal.report.TypeSection;
import org.slab4j.internal.type.Instrumented;
import org.slab4j.internal.type.Site;
import org.slab4j.internal.type.SlabType;
import org.slab4j.internal.type.SlabTypes;

/**
 * Instances of {@link org.slab4j.annotation.Slab} classes: their segments, their release, their counters per type and
 * per allocation site.
 *
 * <p>The hooks that the agent wires into annotated classes are in {@code org.slab4j.internal.type.SlabHooks}, not here.
 */
public final class Slabs {
    private Slabs() {}

    /**
     * Returns an instance's segment to its type's cache now. The instance's {@code @SlabSegment} field then holds
     * {@link MemorySegment#NULL}.
     *
     * @throws IllegalStateException if the instance was already freed
     * @throws IllegalArgumentException if the instance is not of a {@code @Slab} class, or has no segment (its class
     *     was not instrumented by the agent, or it was made without running a constructor, as
     *     {@code Unsafe.allocateInstance} and Objenesis make instances); the message says which and the fix
     * @throws NullPointerException if the instance is {@code null}
     */
    public static void free(Object instance) {
        // The instrumented class's own free, called from here rather than through SlabTypes.free: one inlining level
        // less on a chain that ends in the wipe's MemorySegment.fill, which C2 inlines whole only up to its
        // MaxInlineLevel (docs/performance.md).
        if (instance instanceof Instrumented instrumented) {
            instrumented.slab4j$free(false);
            return;
        }
        SlabTypes.free(instance, false);
    }

    /**
     * @return the instance's live segment
     * @throws IllegalStateException if the instance was freed
     * @throws IllegalArgumentException if the instance is not of a {@code @Slab} class, or has no segment (its class
     *     was not instrumented by the agent, or it was made without running a constructor, as
     *     {@code Unsafe.allocateInstance} and Objenesis make instances); the message says which and the fix
     * @throws NullPointerException if the instance is {@code null}
     */
    public static MemorySegment segmentOf(Object instance) {
        return SlabTypes.segmentOf(instance);
    }

    /**
     * @return the cache handle of a {@code @Slab} class (or of the annotated class it extends), for its geometry and
     *     cache counters, and {@link KmemCache#shrink()}; its {@link KmemCache#destroy()} is refused, since the
     *     class allocates from it
     * @throws IllegalArgumentException if neither the class nor a superclass is annotated, or if the class was not
     *     instrumented by the agent (the message says why and the fix); nothing is set up for it then
     */
    public static KmemCache cacheOf(Class<?> type) {
        return slabType(type).cache();
    }

    /**
     * @return the counters of a {@code @Slab} class (or of the annotated class it extends)
     * @throws IllegalArgumentException if neither the class nor a superclass is annotated, or if the class was not
     *     instrumented by the agent (the message says why and the fix); nothing is set up for it then
     */
    public static TypeStats stats(Class<?> type) {
        return stats(slabType(type));
    }

    private static SlabType slabType(Class<?> type) {
        SlabType slabType = SlabTypes.ofInstrumented(type);
        if (slabType == null) {
            throw new IllegalArgumentException(type.getName() + " is not a @Slab class");
        }
        return slabType;
    }

    /**
     * @return the {@code @Slab} classes used so far, in the order of {@link #allStats()}: for a reader of one type at
     *     a time, with {@link #stats(Class)}, which reads that type alone. The list holds the classes; a reader that
     *     keeps them (a metrics binder) holds them weakly, or their class loaders could never be collected
     */
    public static List<Class<?>> types() {
        List<Class<?>> all = new java.util.ArrayList<>();
        for (SlabType slabType : SlabTypes.all()) {
            all.add(slabType.type());
        }
        return all;
    }

    /** @return the counters of every {@code @Slab} type used so far */
    public static List<TypeStats> allStats() {
        List<TypeStats> all = new java.util.ArrayList<>();
        for (SlabType slabType : SlabTypes.all()) {
            all.add(stats(slabType));
        }
        return all;
    }

    /**
     * @return the {@code @Slab} types used so far and their top allocation sites, as the logged reports print them
     *     (docs/reports.md); a site's frees and live bytes are {@code n/a} unless its type is {@code TRACKED}
     */
    public static String report() {
        return TypeSection.text(allStats());
    }

    private static TypeStats stats(SlabType slabType) {
        List<SiteStats> sites = slabType.sites().stream().map(Slabs::siteStats).toList();
        // Leaks and frees before allocations: allocations read first missed those of instances that the frees, read
        // later, counted freed, so a type allocated and freed on other threads read fewer than 0 live instances.
        long leaks = slabType.leaks();
        long frees = slabType.frees();
        long allocations = slabType.allocations();
        return new TypeStats(
                slabType.type().getName(),
                slabType.cacheName(),
                slabType.cache().canonicalName(),
                slabType.cache().objectSize(),
                slabType.tracked(),
                allocations,
                frees,
                leaks,
                sites);
    }

    /** A site's counters, read in the type's order (leaks and frees before allocations) for the same reason. */
    private static SiteStats siteStats(Site site) {
        long leaks = site.leaks();
        long frees = site.frees();
        return new SiteStats(site.location(), site.allocations(), frees, leaks);
    }

    /**
     * Counters of one {@code @Slab} type.
     *
     * @param type the annotated class's name
     * @param cache the name of its cache handle (the name it asked for; {@code name#2} for the same class in a second
     *     class loader)
     * @param sharedCache the cache whose slabs it uses: {@code cache} itself, or the cache it was merged into (the
     *     counts here are still this type's own)
     * @param objectSize the bytes of each instance's segment
     * @param tracked whether the type's release policy is {@code TRACKED} (lost instances reclaimed, site frees
     *     counted)
     * @param allocations instances given a segment, less those whose constructor threw
     * @param frees segments returned by {@link Slabs#free} or {@code close()}
     * @param leaks segments reclaimed after their instance became unreachable without a free
     * @param sites the allocation sites that allocated this type
     */
    public record TypeStats(
            String type,
            String cache,
            String sharedCache,
            long objectSize,
            boolean tracked,
            long allocations,
            long frees,
            long leaks,
            List<SiteStats> sites) {
        /** @return instances holding a segment now */
        public long live() {
            return allocations - frees - leaks;
        }
    }

    /**
     * Counters of one allocation site.
     *
     * @param location {@code Class.method:line}, or {@code (not a new expression)} for reflection, method handles,
     *     clones and deserialization
     * @param allocations instances allocated there; those whose constructor threw are taken off only if they were
     *     watched (every instance of a {@code TRACKED} type, a sample of a {@code SAMPLED} one)
     * @param frees of those, freed explicitly (counted for tracked types only)
     * @param leaks of those, reclaimed after garbage collection
     */
    public record SiteStats(String location, long allocations, long frees, long leaks) {}
}
