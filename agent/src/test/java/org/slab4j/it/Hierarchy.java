package org.slab4j.it;

import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slab4j.Slabs;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;

/** {@code @Slab} classes that get what matters to the agent from their supertypes, for {@link HierarchyIT}. */
final class Hierarchy {
    private Hierarchy() {}

    @Slab(size = 16, release = Slab.Release.EXPLICIT)
    static class Root {
        @SlabSegment
        MemorySegment mem;
    }

    /** Not annotated, between {@link Root} and {@link Grandchild}. */
    static class Middle extends Root {}

    /** Misconfigured: {@code @Slab} two levels below another {@code @Slab} class. */
    @Slab(size = 16, release = Slab.Release.EXPLICIT)
    static final class Grandchild extends Middle {
        @SlabSegment
        MemorySegment own;
    }

    /**
     * Carries a copy of {@link Root}'s {@code @Slab} and no {@code @SlabSegment} field, as Mockito's subclass mocks do: a
     * plain subclass of {@link Root}, constructed by {@link HierarchyIT} before it loads.
     */
    @Slab(size = 16, release = Slab.Release.EXPLICIT)
    static final class Restated extends Root {}

    /** As {@link Restated}, with {@link Overwriting} below it. */
    @Slab(size = 16, release = Slab.Release.EXPLICIT)
    static class RestatedAbove extends Root {}

    /** Misconfigured: stores into the segment field it inherits through {@link RestatedAbove}. */
    static final class Overwriting extends RestatedAbove {
        Overwriting() {
            mem = MemorySegment.NULL;
        }
    }

    /** A subclass whose constructor throws after {@code super()}, and whose {@code clone()} calls super's. */
    static final class Failing extends Middle implements Cloneable {
        Failing(boolean fail) {
            if (fail) {
                throw new IllegalStateException("refused");
            }
        }

        @Override
        public Failing clone() {
            try {
                return (Failing) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** Not annotated: declares a covariant {@code clone()} that {@link Copied} inherits. */
    static class CopyableBase implements Cloneable {
        @Override
        public CopyableBase clone() {
            try {
                return (CopyableBase) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Slab(size = 16, release = Slab.Release.EXPLICIT)
    static final class Copied extends CopyableBase {
        @SlabSegment
        MemorySegment mem;
    }

    /**
     * A deep copy: its {@code clone()} clones the node it holds (another clone hook on the thread) before it returns to
     * {@link Deeper}'s, and frees the original from another thread in between when the original is {@link #freeDuring}.
     */
    @Slab(size = 16, release = Slab.Release.EXPLICIT)
    static class Deep implements Cloneable {
        static volatile Deep freeDuring;
        /** The copies of held nodes made so far, for the test to free. */
        static final List<Deep> heldCopies = new CopyOnWriteArrayList<>();

        @SlabSegment
        MemorySegment mem;

        Deep next;

        @Override
        public Deep clone() {
            try {
                Deep copy = (Deep) super.clone();
                if (next != null) {
                    copy.next = next.clone();
                    heldCopies.add(copy.next);
                }
                if (this == freeDuring) {
                    Thread.ofPlatform().start(() -> Slabs.free(this)).join();
                }
                return copy;
            } catch (CloneNotSupportedException | InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    static final class Deeper extends Deep {
        @Override
        public Deeper clone() {
            return (Deeper) super.clone();
        }
    }

    /** Not annotated: a helper of its own, not named {@code clone}, copies through {@code Object.clone}. */
    static class Duplicable implements Cloneable {
        Duplicable duplicate() {
            try {
                return (Duplicable) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Slab(size = 16, release = Slab.Release.EXPLICIT)
    static final class Duplicated extends Duplicable {
        @SlabSegment
        MemorySegment mem;
    }

    /** Calls the covariant {@code super.clone()} of its superclass. */
    @Slab(size = 16, release = Slab.Release.EXPLICIT)
    static final class Recopied extends CopyableBase {
        @SlabSegment
        MemorySegment mem;

        @Override
        public Recopied clone() {
            return (Recopied) super.clone();
        }
    }

    /** Not annotated: an immutable-style {@code clone()} that returns {@code this}. */
    static class Frozen implements Cloneable {
        @Override
        public Object clone() {
            return this;
        }
    }

    /** Not annotated: a helper whose {@code super.clone()} is {@link Frozen}'s. */
    static class FrozenCopier extends Frozen {
        Object copy() {
            return super.clone();
        }
    }

    @Slab(size = 16, release = Slab.Release.EXPLICIT)
    static final class FrozenSlab extends FrozenCopier {
        @SlabSegment
        MemorySegment mem;
    }

    /** Not annotated: a prototype whose {@code clone()} makes a new {@link Made}, not a copy. */
    static class Prototype implements Cloneable {
        @Override
        public Object clone() {
            return new Made();
        }
    }

    /** Not annotated: a helper whose {@code super.clone()} is {@link Prototype}'s. */
    static class PrototypeUser extends Prototype {
        Object make() {
            return super.clone();
        }
    }

    @Slab(size = 16, release = Slab.Release.EXPLICIT)
    static final class Made {
        @SlabSegment
        MemorySegment mem;
    }

    /** A static {@code readResolve} and {@code close}: helpers of the class, not its instances' hooks. */
    @Slab(size = 16, release = Slab.Release.EXPLICIT)
    static final class StaticHelpers implements Serializable, AutoCloseable {
        @Serial
        private static final long serialVersionUID = 1L;

        @SlabSegment
        MemorySegment mem;

        static Object readResolve() {
            return "a helper";
        }

        static void close(StaticHelpers h) {
            Slabs.free(h);
        }

        @Override
        public void close() {}
    }

    /** Resolves to a registered canonical instance, else to {@code null}, which {@link Resolving} turns into itself. */
    @Slab(size = 16, release = Slab.Release.EXPLICIT)
    static class Interned implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        static final Map<Integer, Interned> CANON = new ConcurrentHashMap<>();

        @SlabSegment
        MemorySegment mem;

        int key;

        @Serial
        protected Object readResolve() {
            return CANON.get(key);
        }
    }

    static final class Resolving extends Interned {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        @Serial
        protected Object readResolve() {
            Object canonical = super.readResolve();
            return canonical != null ? canonical : this;
        }
    }

    /** Deserializes to its one canonical instance, through {@code readResolve()}. */
    @Slab(size = 16, release = Slab.Release.EXPLICIT)
    static final class Canonical implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        static final Canonical ONE = new Canonical();

        @SlabSegment
        MemorySegment mem;

        @Serial
        private Object readResolve() {
            return ONE;
        }
    }

    /** {@code AutoCloseable} through {@link Handle}, with no {@code close()} of its own: {@link ClosedBelow} declares it. */
    @Slab(size = 16)
    abstract static class OpenAbove implements Handle {
        @SlabSegment
        MemorySegment mem;
    }

    static final class ClosedBelow extends OpenAbove {
        @Override
        public void close() {}
    }

    /** A {@code close()} that {@link ClosingAlone} overrides without calling it. */
    @Slab(size = 16)
    static class Closing implements AutoCloseable {
        @SlabSegment
        MemorySegment mem;

        @Override
        public void close() {}
    }

    static final class ClosingAlone extends Closing {
        @Override
        public void close() {}
    }

    /** {@code AutoCloseable} through an interface of its own. */
    interface Handle extends AutoCloseable {
        @Override
        void close();
    }

    @Slab(size = 16)
    static final class Closed implements Handle {
        @SlabSegment
        MemorySegment mem;

        boolean fail;

        @Override
        public void close() {
            if (fail) {
                throw new IllegalStateException("close failed");
            }
        }
    }

    /** {@code Serializable} through an interface of its own. */
    interface Message extends Serializable {}

    @Slab(size = 16)
    static final class Sent implements Message {
        @Serial
        private static final long serialVersionUID = 1L;

        @SlabSegment
        MemorySegment mem;
    }

    /** Its prologue builds its child: a nested {@code new} of the same class before {@code this(...)}. */
    @Slab(size = 16, release = Slab.Release.EXPLICIT)
    static final class Nested {
        @SlabSegment
        MemorySegment mem;

        final Nested child;

        Nested(Nested child) {
            this.child = child;
        }

        Nested(int depth) {
            this(depth == 0 ? null : new Nested(depth - 1));
        }

        /** The same with two-slot locals in the prologue's stack map frames. */
        Nested(long wide, int depth, double wider) {
            this(depth == 0 ? null : new Nested(wide, depth - 1, wider));
        }
    }

    /** Its prologue can throw before {@code this(...)}, after the {@code new} left its site pending. */
    @Slab(size = 16, release = Slab.Release.EXPLICIT)
    static final class Checked {
        @SlabSegment
        MemorySegment mem;

        Checked(long value) {}

        Checked(int value) {
            this((long) positive(value));
        }

        static int positive(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("negative: " + value);
            }
            return value;
        }
    }

    /** Its prologue can throw before {@code this(...)} with no call at all: a division by zero. */
    @Slab(size = 16, release = Slab.Release.EXPLICIT)
    static final class Divided {
        @SlabSegment
        MemorySegment mem;

        Divided(long value) {}

        Divided(int divisor) {
            this(100L / divisor);
        }
    }

    /** A subclass whose {@code super(...)} argument is a new {@link Root}. */
    static class Holder extends Root {
        final Object held;

        Holder(Object held) {
            this.held = held;
        }
    }

    static final class Spawning extends Holder {
        Spawning() {
            super(new Root());
        }
    }

    /** {@code Cloneable} without declaring {@code clone()}: {@link #copy} reaches {@code Object.clone} directly. */
    @Slab(size = 16, release = Slab.Release.EXPLICIT)
    static class Plain implements Cloneable {
        @SlabSegment
        MemorySegment mem;

        Plain copy() throws CloneNotSupportedException {
            return (Plain) clone();
        }
    }

    /** {@code Cloneable} two levels below {@link Root}; no class in between declares {@code clone()}. */
    static final class Leaf extends Middle implements Cloneable {
        Leaf copy() throws CloneNotSupportedException {
            return (Leaf) clone();
        }
    }

    /** A {@code @Slab} class with its own {@code clone()}, which {@link Lamb} overrides, both calling super's. */
    @Slab(size = 16, release = Slab.Release.EXPLICIT)
    static class Sheep implements Cloneable {
        @SlabSegment
        MemorySegment mem;

        @Override
        public Sheep clone() {
            try {
                return (Sheep) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }

    static final class Lamb extends Sheep {
        @Override
        public Lamb clone() {
            return (Lamb) super.clone();
        }
    }

    /** A {@code Cloneable} {@code @Slab} class of a page, whose copy takes long enough for a free to land meanwhile. */
    @Slab(size = 4096, release = Slab.Release.EXPLICIT)
    static final class Fleece implements Cloneable {
        @SlabSegment
        MemorySegment mem;

        @Override
        public Fleece clone() {
            try {
                return (Fleece) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
