package org.slab4j.internal.type;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;

/** What the agent's rewrite of a {@code @Slab} constructor does after {@code super()}, for tests without the agent. */
public final class AgentHooks {
    private AgentHooks() {}

    /**
     * @param lookup {@code MethodHandles.lookup()} in the {@code @Slab} class, as the class's dynamic constant gets it
     * @return the segment for the instance's {@code @SlabSegment} field
     */
    public static MemorySegment construct(Object instance, MethodHandles.Lookup lookup) {
        return SlabHooks.construct(instance, SlabHooks.slabType(lookup, "type", Object.class));
    }
}
