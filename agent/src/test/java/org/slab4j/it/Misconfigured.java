package org.slab4j.it;

import java.lang.foreign.MemoryLayout;
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

    /** Read by its numbers only, in a test of its own. */
    @Slab(size = -16)
    static final class ReadOnly {
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

    /** The initializer runs after the agent gave the instance its segment, and would overwrite it. */
    @Slab(size = 8)
    static final class AssignedField {
        @SlabSegment
        MemorySegment mem = MemorySegment.NULL;
    }

    @Slab(size = 64)
    static final class AnnotatedSubclass extends Order {
        @SlabSegment
        MemorySegment own;

        AnnotatedSubclass() {
            super(1);
        }
    }

    @Slab(size = 8, release = Slab.Release.EXPLICIT)
    static class Shared {
        @SlabSegment
        MemorySegment mem;
    }

    /** Not annotated, between {@link Shared} and {@link AssigningSubclass}. */
    static class Between extends Shared {}

    /** Stores into the inherited segment field (javac names the owner {@code AssigningSubclass.mem}). */
    static final class AssigningSubclass extends Between {
        void share(Shared other) {
            mem = other.mem;
        }
    }

    /** Declares a field of the segment field's name but another type, which hides the inherited one. */
    static class Hiding extends Shared {
        int mem;
    }

    /** Stores into {@link Hiding}'s {@code int mem} (javac names the owner {@code HidingSubclass.mem}): no error. */
    static final class HidingSubclass extends Hiding {
        HidingSubclass() {
            mem = 3;
        }
    }

    /** Misconfigurations the agent cannot see in the class file: found when the type is first used. */
    @Slab(size = 1L << 40)
    static final class TooLarge {
        @SlabSegment
        MemorySegment mem;
    }

    @Slab(layout = "L")
    static final class EmptyLayout {
        static final MemoryLayout L = MemoryLayout.structLayout();

        @SlabSegment
        MemorySegment mem;
    }

    @Slab(layout = "L")
    static final class NullLayout {
        static final MemoryLayout L = null;

        @SlabSegment
        MemorySegment mem;
    }

    @Slab(size = 16, align = 1L << 30)
    static final class OverAligned {
        @SlabSegment
        MemorySegment mem;
    }

    /** A name slabinfo cannot hold: the error said to fix size, align or flags. */
    @Slab(name = "my order", size = 16)
    static final class BadName {
        @SlabSegment
        MemorySegment mem;
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
