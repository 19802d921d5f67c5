package org.slab4j.agent;

/** Names and descriptors of the {@code org.slab4j.Slabs} hooks that instrumented code calls. */
final class Hooks {
    static final String SLABS = "org/slab4j/Slabs";
    static final String CONSTRUCT = "(Ljava/lang/Object;Ljava/lang/Class;)Ljava/lang/foreign/MemorySegment;";
    static final String OBJECT_CLASS = "(Ljava/lang/Object;Ljava/lang/Class;)V";

    private Hooks() {}
}
