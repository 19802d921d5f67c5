package org.slab4j.internal.type;

/**
 * Implemented by the agent in every instrumented {@code @Slab} class; applications neither implement nor call it.
 * {@link org.slab4j.Slabs#free} dispatches to it, so that the class's own constants (its type and a handle on its
 * {@code @SlabSegment} field) replace the look-ups a free would otherwise need. An instance that is not
 * {@code Instrumented} was not instrumented (no agent, or a class the agent was told to leave).
 */
public interface Instrumented {
    /**
     * Takes the segment out of the {@code @SlabSegment} field atomically and passes it to {@link SlabHooks#release}.
     *
     * @param quiet whether an instance already freed is ignored rather than an error
     */
    void slab4j$free(boolean quiet);
}
