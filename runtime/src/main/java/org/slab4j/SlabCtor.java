package org.slab4j;

import java.lang.foreign.MemorySegment;

/**
 * An object constructor for a cache, as the {@code ctor} argument of {@code kmem_cache_create}.
 *
 * <p>It runs once for every object when a new slab is grown ({@code cache_init_objs}), never on
 * {@link KmemCache#alloc()}. Objects are therefore expected back, at {@link KmemCache#free}, in their constructed
 * state: a cache with a constructor hands out recycled objects exactly as they were returned. If the constructor
 * throws, the new slab is discarded and the allocation fails with an {@link IllegalStateException} carrying the
 * cause; the cache stays usable. A {@link SlabFlag#POISON} cache runs it on every allocation instead (the poison
 * overwrites the constructed state); if it throws there, the object is freed again and the allocation fails the same
 * way, as it does when the constructor frees the object it was given (which is then not handed out).
 *
 * <p>A constructor should only initialise its object and allocate. On a virtual thread it runs under the lock of the
 * thread's stripe of array caches, so one that waits for another virtual thread of that stripe, or destroys a cache
 * that another stripe caches while that stripe's constructor does the same, waits for ever; a
 * {@link KmemCache#shrink()} from a constructor skips the stripes other threads hold.
 */
@FunctionalInterface
public interface SlabCtor {
    /**
     * Brings a freshly grown object into its constructed state.
     *
     * @param object the object's segment, exactly the cache's object size long
     */
    void construct(MemorySegment object);
}
