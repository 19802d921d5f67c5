package org.slab4j.it;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;

/** Constructor shapes that test the rewriting: inner classes, branches, try/finally, lambdas, generics. */
final class Shapes {
    private final int base = 3;

    private Shapes() {}

    static Inner inner() {
        return new Shapes().new Inner();
    }

    /** A non-static inner class: javac stores the outer instance before super(). */
    @Slab(size = 8)
    final class Inner {
        @SlabSegment
        MemorySegment mem;

        Inner() {
            mem.set(JAVA_INT, 0, base);
        }
    }

    /** Branches, a loop, try/catch/finally and a lambda capturing this in the constructor body. */
    @Slab(size = 16)
    static final class Busy {
        @SlabSegment
        MemorySegment mem;

        final IntSupplier reader;

        Busy(int n) {
            int sum = 0;
            for (int i = 0; i < n; i++) {
                sum += i % 2 == 0 ? i : -i;
            }
            try {
                if (n < 0) {
                    throw new IllegalArgumentException("negative");
                }
                mem.set(JAVA_INT, 0, sum);
            } catch (IllegalArgumentException e) {
                mem.set(JAVA_INT, 0, -1);
            } finally {
                mem.set(JAVA_INT, 4, n);
            }
            reader = () -> mem.get(JAVA_INT, 0);
        }
    }

    /** A generic class whose super(...) argument is itself a new @Slab object. */
    @Slab(size = 8)
    static class Box<T> {
        @SlabSegment
        MemorySegment mem;

        final T value;
        final List<Object> parts = new ArrayList<>();

        Box(T value) {
            this.value = value;
        }
    }

    static final class BoxOfBox extends Box<Box<String>> {
        BoxOfBox() {
            super(new Box<>("inner"));
        }
    }

    /** An abstract annotated class and a concrete subclass. */
    @Slab(size = 12)
    abstract static class Shape {
        @SlabSegment
        MemorySegment mem;

        abstract int sides();
    }

    static final class Triangle extends Shape {
        Triangle() {
            mem.set(JAVA_INT, 0, sides());
        }

        @Override
        int sides() {
            return 3;
        }
    }
}
