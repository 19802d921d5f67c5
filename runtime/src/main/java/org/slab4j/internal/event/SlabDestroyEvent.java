package org.slab4j.internal.event;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR event {@code org.slab4j.SlabDestroy}: a slab was destroyed and its pages freed (slab_destroy). */
@Name("org.slab4j.SlabDestroy")
@Label("Slab Destroy")
@Description("a slab was destroyed and its pages freed (slab_destroy)")
final class SlabDestroyEvent extends SlabPagesEvent {}
