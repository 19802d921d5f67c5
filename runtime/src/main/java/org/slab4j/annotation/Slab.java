package org.slab4j.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.slab4j.SlabFlag;

/**
 * Gives every instance of the annotated class an off-heap segment from its type's {@code kmem_cache} in
 * {@link org.slab4j.SlabAllocator#global()}, when the JVM runs with the slab4j agent.
 *
 * <p>The class declares exactly one non-static, non-final {@link SlabSegment} field of type
 * {@link java.lang.foreign.MemorySegment}; the agent sets it right after {@code super(...)}, so it is usable in the
 * constructor body. Give either {@link #size()} or {@link #layout()}. A subclass of an annotated class shares its
 * parent's cache and segment (the parent's constructor takes it).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Slab {
    /**
     * @return the cache name, without white space, control or format characters (else every instantiation throws
     *     {@link org.slab4j.SlabConfigurationException} saying so); empty means the class's simple name
     */
    String name() default "";

    /** @return the object size in bytes, or 0 to take it from {@link #layout()} */
    long size() default 0;

    /**
     * @return the name of a static {@code MemoryLayout} field of the class giving size and alignment, or empty; declare
     *     it before any static field that makes instances of the class
     */
    String layout() default "";

    /** @return the object alignment, or 0 for the layout's alignment (or the allocator's default) */
    long align() default 0;

    /** @return the cache flags */
    SlabFlag[] flags() default {};

    /**
     * @return the name of a {@code static void name(MemorySegment)} method of the class used as the cache's
     *     constructor ({@link org.slab4j.SlabCtor}), or empty for none
     */
    String ctor() default "";

    /** @return how instances give their segment back; by default {@link Release#SAMPLED} */
    Release release() default Release.SAMPLED;

    /** How the segments of a class's instances return to the cache. */
    enum Release {
        /**
         * {@link org.slab4j.Slabs#free(Object)} (or {@code close()}) returns the segment at once; an instance that
         * becomes unreachable without that is reclaimed after garbage collection and counted as a leak at its
         * allocation site. Costs one phantom reference per instance.
         */
        TRACKED,
        /** Only {@link org.slab4j.Slabs#free(Object)} (or {@code close()}) returns the segment; a lost instance leaks. */
        EXPLICIT,
        /**
         * The default: {@link org.slab4j.Slabs#free(Object)} (or {@code close()}) returns the segment, and a sample of
         * the instances is watched as {@link #TRACKED} watches all: a watched instance lost without a free is reclaimed
         * after garbage collection, counted as a leak at its allocation site, and the first leak of each site is logged
         * as a WARN on {@code org.slab4j.leaks}. The other lost instances leak like {@link #EXPLICIT}'s. The option
         * {@code leaks} ({@code -Dslab4j.leaks}) chooses the sample: {@code sample} (the default; one instance in
         * {@code leakRate}, by default 128), {@code all} or {@code off}. Costs a phantom reference per
         * watched instance and, on each free, one read of a small table.
         */
        SAMPLED
    }
}
