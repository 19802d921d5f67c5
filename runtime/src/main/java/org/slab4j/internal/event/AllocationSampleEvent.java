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
 * JFR event {@code org.slab4j.AllocationSample}: one {@code @Slab} instance got its segment, at an allocation site.
 * Off unless a recording enables it; with the stack trace of the allocation (the recording's {@code stackTrace}
 * setting can turn that off); throttled by {@link SlabEvents} to about {@link SlabEvents#SAMPLES_PER_SECOND}
 * events a second.
 */
@Name("org.slab4j.AllocationSample")
@Label("Slab Allocation Sample")
@Description("a @Slab instance got its segment (sampled)")
@Category("slab4j")
@Enabled(false)
@StackTrace(true)
final class AllocationSampleEvent extends Event {
    @Label("Type")
    String type;

    @Label("Cache")
    String cache;

    @Label("Site")
    String site;

    @Label("Object Size")
    @DataAmount
    long objectSize;
}
