package org.slab4j.internal.event;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code org.slab4j.CacheCreate}: a cache was created (kmem_cache_create).
 * Off unless a recording enables it; committed through {@link SlabEvents}.
 */
@Name("org.slab4j.CacheCreate")
@Label("Cache Create")
@Description("a cache was created (kmem_cache_create)")
@Category("slab4j")
@Enabled(false)
@StackTrace(false)
final class CacheCreateEvent extends Event {
    @Label("Cache")
    String cache;

    @Label("Object Size")
    @DataAmount
    long objectSize;

    @Label("Buffer Size")
    @DataAmount
    long size;
}
