package org.slab4j.it;

import java.lang.foreign.MemorySegment;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;

/** Misconfigured classes: only loaded by name in MisconfigurationIT. */
final class Misconfigured {
    private Misconfigured() {}

    @Slab
    static final class NoSize {
        @SlabSegment
        MemorySegment mem;
    }

    @Slab(size = -8)
    static final class NegativeSize {
        @SlabSegment
        MemorySegment mem;
    }

    @Slab(layout = "MISSING")
    static final class MissingLayout {
        @SlabSegment
        MemorySegment mem;
    }

    @Slab(layout = "NOT_A_LAYOUT")
    static final class WrongLayoutType {
        static final String NOT_A_LAYOUT = "x";

        @SlabSegment
        MemorySegment mem;
    }

    @Slab(size = 8, ctor = "missing")
    static final class MissingCtor {
        @SlabSegment
        MemorySegment mem;
    }

    @Slab(size = 8, ctor = "init")
    static final class WrongCtorSignature {
        @SlabSegment
        MemorySegment mem;

        static void init(long address) {}
    }

    @Slab(size = 8)
    static final class WrongFieldType {
        @SlabSegment
        long mem;
    }

    @Slab(size = 8)
    static final class NoField {}

    @Slab(size = 64)
    static final class AnnotatedSubclass extends Order {
        @SlabSegment
        MemorySegment own;

        AnnotatedSubclass() {
            super(1);
        }
    }

    @Slab(size = 8)
    enum AnEnum {
        A
    }

    @Slab(size = 8)
    record ARecord(int x) {}

    @Slab(size = 8)
    interface AnInterface {}
}
