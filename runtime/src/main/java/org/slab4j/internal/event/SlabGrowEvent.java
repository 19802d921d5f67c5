package org.slab4j.internal.event;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code org.slab4j.SlabGrow}: a slab was grown (cache_grow).
 * Off unless a recording enables it; committed through {@link SlabEvents}.
 */
@Name("org.slab4j.SlabGrow")
@Label("Slab Grow")
@Description("a slab was grown (cache_grow)")
@Category("slab4j")
@Enabled(false)
@StackTrace(false)
final class SlabGrowEvent extends Event {
    @Label("Cache")
    String cache;

    @Label("Node")
    int node;

    @Label("Order")
    int order;
}
