package org.slab4j.internal.event;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR event {@code org.slab4j.SlabGrow}: a slab was grown (cache_grow). */
@Name("org.slab4j.SlabGrow")
@Label("Slab Grow")
@Description("a slab was grown (cache_grow)")
final class SlabGrowEvent extends SlabPagesEvent {}
