package org.slab4j.internal.event;

import jdk.jfr.Category;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.StackTrace;

/**
 * What {@link SlabGrowEvent} and {@link SlabDestroyEvent} record: a slab of {@code 2^order} pages of a cache on a node.
 * Off unless a recording enables it; committed through {@link SlabEvents}.
 */
@Category("slab4j")
@Enabled(false)
@StackTrace(false)
abstract class SlabPagesEvent extends Event {
    @Label("Cache")
    String cache;

    @Label("Node")
    int node;

    @Label("Order")
    int order;
}
