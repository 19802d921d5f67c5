package org.slab4j.internal.event;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code org.slab4j.Reap}: the reaper freed free slabs of a cache node (cache_reap).
 * Off unless a recording enables it; committed through {@link SlabEvents}.
 */
@Name("org.slab4j.Reap")
@Label("Reap")
@Description("the reaper freed free slabs of a cache node (cache_reap)")
@Category("slab4j")
@Enabled(false)
@StackTrace(false)
final class ReapEvent extends Event {
    @Label("Cache")
    String cache;

    @Label("Node")
    int node;

    @Label("Slabs Freed")
    long slabsFreed;
}
