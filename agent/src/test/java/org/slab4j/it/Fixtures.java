package org.slab4j.it;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.Serializable;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;

/** Annotated classes the agent tests instantiate. */
final class Fixtures {
    private Fixtures() {}

    /** Two classes alike enough to share one cache. */
    @Slab(size = 48)
    static final class Point {
        @SlabSegment
        MemorySegment mem;
    }

    /** A type without a cache constructor, for the wipe on free. */
    @Slab(size = 40)
    static final class Blank {
        @SlabSegment
        MemorySegment mem;
    }

    @Slab(size = 48)
    static final class Vector {
        @SlabSegment
        MemorySegment mem;
    }

    /** Counts its cache constructor's runs. */
    @Slab(size = 200, ctor = "init")
    static final class Counted {
        static final AtomicLong RUNS = new AtomicLong();

        @SlabSegment
        MemorySegment mem;

        static void init(MemorySegment m) {
            RUNS.incrementAndGet();
        }
    }

    /** Constructors chained with this(...). */
    @Slab(size = 16)
    static final class Chained {
        @SlabSegment
        MemorySegment mem;

        Chained() {
            this(7);
        }

        Chained(int value) {
            mem.set(JAVA_INT, 0, value);
        }

        Chained(boolean fail) {
            this(1);
            if (fail) {
                throw new IllegalStateException("after this(...)");
            }
        }
    }

    /** A constructor that throws after using its segment. */
    @Slab(size = 24)
    static final class Throwing {
        @SlabSegment
        MemorySegment mem;

        Throwing(boolean fail) {
            mem.set(JAVA_INT, 0, 1);
            if (fail) {
                throw new IllegalArgumentException("constructor failed");
            }
        }
    }

    /** Released by close(). */
    @Slab(size = 32)
    static final class Resource implements AutoCloseable {
        @SlabSegment
        MemorySegment mem;

        boolean closedBodyRan;

        @Override
        public void close() {
            closedBodyRan = mem.byteSize() == 32;
        }
    }

    /** Cloneable: the copy gets its own segment with the same contents. */
    @Slab(size = 40)
    static final class Copyable implements Cloneable {
        @SlabSegment
        MemorySegment mem;

        @Override
        public Copyable clone() {
            try {
                return (Copyable) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** Sized by a layout. */
    @Slab(layout = "LAYOUT", release = Slab.Release.EXPLICIT)
    static final class Laid {
        static final MemoryLayout LAYOUT = MemoryLayout.structLayout(JAVA_INT.withName("a"), JAVA_INT.withName("b"));

        @SlabSegment
        MemorySegment mem;
    }

    /** A subclass of an annotated class. */
    static final class RushOrder extends Order {
        RushOrder(long id) {
            super(id);
        }
    }

    /** Serializable: the segment's bytes travel with the object. */
    @Slab(size = 16)
    static final class Saved implements Serializable {
        private static final long serialVersionUID = 1L;

        @SlabSegment
        MemorySegment mem;

        String label = "saved";
    }

    /** Made and dropped without a free. */
    @Slab(size = 8, release = Slab.Release.TRACKED)
    static final class Lost {
        @SlabSegment
        MemorySegment mem;
    }

    /** The default release policy: made and dropped without a free. */
    @Slab(size = 24)
    static final class Forgotten {
        @SlabSegment
        MemorySegment mem;
    }

    /** The default release policy, {@code Cloneable}: the first instance made is watched, the next 127 are not. */
    @Slab(size = 24)
    static final class Sheep implements Cloneable {
        @SlabSegment
        MemorySegment mem;

        Sheep copy() throws CloneNotSupportedException {
            return (Sheep) clone();
        }
    }

    /** {@code TRACKED} and {@code Cloneable}: its watch field is copied by {@code Object.clone}. */
    @Slab(size = 24, release = Slab.Release.TRACKED)
    static final class Ram implements Cloneable {
        @SlabSegment
        MemorySegment mem;

        Ram copy() throws CloneNotSupportedException {
            return (Ram) clone();
        }
    }

    /** Freed by two threads at once. */
    @Slab(size = 8, release = Slab.Release.TRACKED)
    static final class Contested {
        @SlabSegment
        MemorySegment mem;
    }
}
