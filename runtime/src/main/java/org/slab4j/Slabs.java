package org.slab4j;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.util.List;
import org.slab4j.internal.report.TypeSection;
import org.slab4j.internal.type.Sites;
import org.slab4j.internal.type.SlabType;
import org.slab4j.internal.type.SlabTypes;

/**
 * Instances of {@link org.slab4j.annotation.Slab} classes: their segments, their release, their counters per type and
 * per allocation site.
 *
 * <p>The methods marked "called by instrumented code" are the hooks the slab4j agent wires into annotated classes and
 * their allocation sites; applications do not call them.
 */
public final class Slabs {
    private Slabs() {}

    /**
     * Returns an instance's segment to its type's cache now. The instance's {@code @SlabSegment} field then holds
     * {@link MemorySegment#NULL}.
     *
     * @throws IllegalStateException if the instance was already freed
     * @throws IllegalArgumentException if the instance is not of a {@code @Slab} class, or has no segment
     * @throws NullPointerException if the instance is {@code null}
     */
    public static void free(Object instance) {
        SlabTypes.free(instance, false);
    }

    /**
     * @return the instance's live segment
     * @throws IllegalStateException if the instance was freed
     * @throws IllegalArgumentException if the instance is not of a {@code @Slab} class, or has no segment
     * @throws NullPointerException if the instance is {@code null}
     */
    public static MemorySegment segmentOf(Object instance) {
        return SlabTypes.segmentOf(instance);
    }

    /**
     * @return the cache handle of a {@code @Slab} class (or of the annotated class it extends), for its geometry and
     *     cache counters
     * @throws IllegalArgumentException if neither the class nor a superclass is annotated
     */
    public static KmemCache cacheOf(Class<?> type) {
        return slabType(type).cache();
    }

    /**
     * @return the counters of a {@code @Slab} class (or of the annotated class it extends)
     * @throws IllegalArgumentException if neither the class nor a superclass is annotated
     */
    public static TypeStats stats(Class<?> type) {
        return stats(slabType(type));
    }

    private static SlabType slabType(Class<?> type) {
        SlabType slabType = SlabTypes.of(type);
        if (slabType == null) {
            throw new IllegalArgumentException(type.getName() + " is not a @Slab class");
        }
        return slabType;
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
     *     (docs/reports.md); a site's frees and live bytes are {@code n/a} for {@code EXPLICIT} types
     */
    public static String report() {
        return TypeSection.text(allStats());
    }

    private static TypeStats stats(SlabType slabType) {
        List<SiteStats> sites = slabType.sites().stream()
                .map(s -> new SiteStats(s.location(), s.allocations(), s.frees(), s.leaks()))
                .toList();
        return new TypeStats(
                slabType.type().getName(),
                slabType.cacheName(),
                slabType.cache().canonicalName(),
                slabType.cache().objectSize(),
                slabType.tracked(),
                slabType.allocations(),
                slabType.frees(),
                slabType.leaks(),
                sites);
    }

    /**
     * Registers an allocation site; called by the agent when it instruments a class.
     *
     * @param typeName the binary name of the {@code @Slab} class allocated there
     * @param location {@code Class.method:line}
     * @return the id to pass to {@link #enterSite(int)}
     */
    public static int registerSite(String typeName, String location) {
        return Sites.register(typeName, location);
    }

    /**
     * Called by instrumented code just before the constructor call of a {@code new} of a {@code @Slab} class.
     *
     * @param site an id from {@link #registerSite}, or 0 for none
     */
    public static void enterSite(int site) {
        Sites.enter(site);
    }

    /**
     * Called by instrumented code on entry to a constructor whose code before {@code super(...)} or {@code this(...)}
     * calls other code, which may itself construct {@code @Slab} objects: takes the calling thread's pending site, which
     * the constructor hands back with {@link #enterSite} just before it needs it.
     *
     * @return the pending site's id, or 0 if none
     */
    public static int takeSite() {
        return Sites.takeAny();
    }

    /**
     * Implemented by the agent in every instrumented {@code @Slab} class; applications neither implement nor call it.
     * {@link #free} dispatches to it, so that the class's own constants (its type and a handle on its
     * {@code @SlabSegment} field) replace the look-ups a free would otherwise need.
     */
    public interface Instrumented {
        /**
         * Takes the segment out of the {@code @SlabSegment} field atomically and passes it to {@link #release}.
         *
         * @param quiet whether an instance already freed is ignored rather than an error
         */
        void slab4j$free(boolean quiet);
    }

    /**
     * Bootstrap of the constant that instrumented code loads for its {@code @Slab} class (a dynamic constant, resolved
     * once per class): the class's type, or the configuration error that every use of it throws.
     *
     * @param lookup the {@code @Slab} class's own lookup
     * @param name unused: the constant's name
     * @param type unused: {@code Object.class}
     * @return the type, or a {@link SlabConfigurationException}; never throws, since a failed dynamic constant would
     *     fail the same way forever with a less helpful error
     */
    public static Object slabType(MethodHandles.Lookup lookup, String name, Class<?> type) {
        return SlabTypes.constant(lookup.lookupClass());
    }

    /**
     * Called by instrumented code right after {@code super(...)} in a constructor of a {@code @Slab} class.
     *
     * @param instance the instance being constructed
     * @param type the class's {@link #slabType} constant
     * @return the segment to store in the {@code @SlabSegment} field
     * @throws SlabConfigurationException if the class is misconfigured
     */
    public static MemorySegment construct(Object instance, Object type) {
        return SlabTypes.construct(instance, type);
    }

    /**
     * Called by {@link Instrumented#slab4j$free}: returns the segment its caller took out of the instance.
     *
     * @param instance the instance being freed
     * @param type the class's {@link #slabType} constant
     * @param taken what the {@code @SlabSegment} field held; it now holds {@link MemorySegment#NULL}
     * @param quiet whether an instance already freed is ignored rather than an error
     */
    public static void release(Object instance, Object type, MemorySegment taken, boolean quiet) {
        SlabTypes.release(instance, type, taken, quiet);
    }

    /** Called by instrumented code when a constructor of a {@code @Slab} class throws: gives the segment back. */
    public static void constructorFailed(Object instance, Class<?> type) {
        SlabTypes.constructorFailed(instance, type);
    }

    /** Called by instrumented code after the body of a {@code @Slab} class's {@code close()}: frees unless freed. */
    public static void closed(Object instance) {
        SlabTypes.free(instance, true);
    }

    /** Called by instrumented code after {@code super.clone()} in a {@code @Slab} class: the copy gets its own segment. */
    public static void cloned(Object copy, Class<?> type) {
        SlabTypes.cloned(copy, type);
    }

    /**
     * Called by instrumented code at the end of a {@code Serializable} {@code @Slab} class's {@code writeObject}:
     * writes the segment's bytes after the class's own serial data.
     *
     * @throws IOException if the stream fails
     */
    public static void writeSegment(Object instance, ObjectOutputStream out) throws IOException {
        byte[] content = SlabTypes.content(instance);
        out.writeInt(content == null ? -1 : content.length);
        if (content != null) {
            out.write(content);
        }
    }

    /**
     * Called by instrumented code at the end of a {@code Serializable} {@code @Slab} class's {@code readObject}: the
     * deserialized instance gets a fresh segment holding the bytes {@link #writeSegment} wrote.
     *
     * @throws IOException if the stream fails
     */
    public static void readSegment(Object instance, Class<?> type, ObjectInputStream in) throws IOException {
        int length = in.readInt();
        SlabTypes.restore(instance, type, length < 0 ? null : in.readNBytes(length));
    }

    /**
     * Called by instrumented code at the start of each constructor of a misconfigured {@code @Slab} class.
     *
     * @param message the class, the problem and its fix, as logged when the class loaded
     * @throws SlabConfigurationException always
     */
    public static void configurationError(String message) {
        throw new SlabConfigurationException(message);
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
     * @param allocations instances allocated there
     * @param frees of those, freed explicitly (counted for tracked types only)
     * @param leaks of those, reclaimed after garbage collection
     */
    public record SiteStats(String location, long allocations, long frees, long leaks) {}
}
