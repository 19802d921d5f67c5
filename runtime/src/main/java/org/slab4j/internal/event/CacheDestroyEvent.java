package org.slab4j.internal.event;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code org.slab4j.CacheDestroy}: a cache was destroyed (kmem_cache_destroy).
 * Off unless a recording enables it; committed through {@link SlabEvents}.
 */
@Name("org.slab4j.CacheDestroy")
@Label("Cache Destroy")
@Description("a cache was destroyed (kmem_cache_destroy)")
@Category("slab4j")
@Enabled(false)
@StackTrace(false)
final class CacheDestroyEvent extends Event {
    @Label("Cache")
    String cache;
}
