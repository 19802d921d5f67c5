package org.slab4j.it;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.slab4j.SlabConfigurationException;
import org.slab4j.Slabs;
import org.slab4j.it.Hierarchy.Closed;
import org.slab4j.it.Hierarchy.Copied;
import org.slab4j.it.Hierarchy.Failing;
import org.slab4j.it.Hierarchy.Grandchild;
import org.slab4j.it.Hierarchy.Recopied;
import org.slab4j.it.Hierarchy.Root;
import org.slab4j.it.Hierarchy.Sent;

/**
 * Runs with the packaged agent: what a {@code @Slab} class inherits (an annotated ancestor, {@code clone()},
 * {@code AutoCloseable}, {@code Serializable}) and what its subclasses do with its segment.
 */
class HierarchyIT {
    @Test
    void slabBelowAnIndirectSlabAncestorIsMisconfiguredAndTakesNoSegment() {
        var before = Slabs.stats(Root.class);
        SlabConfigurationException e = assertThrows(SlabConfigurationException.class, Grandchild::new);
        assertTrue(e.getMessage().contains("extends @Slab class " + Root.class.getName()), e.getMessage());
        var after = Slabs.stats(Root.class);
        assertEquals(before.allocations(), after.allocations());
        assertEquals(before.live(), after.live());
    }

    @Test
    void aSubclassConstructorThatThrowsGivesTheSegmentBack() {
        var before = Slabs.stats(Root.class);
        assertThrows(IllegalStateException.class, () -> new Failing(true));
        var after = Slabs.stats(Root.class);
        assertEquals(before.allocations(), after.allocations());
        assertEquals(before.live(), after.live());
    }

    @Test
    void newOfASubclassIsCountedAtItsSiteUnderTheSlabAncestor() {
        Failing made = new Failing(false);
        var site = Slabs.stats(Root.class).sites().stream()
                .filter(s -> s.location().startsWith(HierarchyIT.class.getName() + ".newOfASubclass"))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError(Slabs.stats(Root.class).sites().toString()));
        assertEquals(1, site.allocations());
        Slabs.free(made);
    }

    @Test
    void aSubclassCloneGetsASegmentOfItsOwn() {
        Failing original = new Failing(false);
        original.mem.set(JAVA_LONG, 0, 41);
        Failing copy = original.clone();
        assertDistinctCopy(original.mem, copy.mem);
        Slabs.free(original);
        Slabs.free(copy);
    }

    @Test
    void aCloneInheritedFromAPlainSuperclassGetsASegmentOfItsOwn() {
        Copied original = new Copied();
        original.mem.set(JAVA_LONG, 0, 41);
        Copied copy = (Copied) original.clone();
        assertDistinctCopy(original.mem, copy.mem);
        Slabs.free(original);
        Slabs.free(copy);
    }

    @Test
    void aCovariantSuperCloneGetsASegmentOfItsOwn() {
        Recopied original = new Recopied();
        original.mem.set(JAVA_LONG, 0, 41);
        Recopied copy = original.clone();
        assertDistinctCopy(original.mem, copy.mem);
        Slabs.free(original);
        Slabs.free(copy);
    }

    @Test
    void closeThroughAnInheritedAutoCloseableFreesTheSegment() {
        long frees = Slabs.stats(Closed.class).frees();
        Closed closed = new Closed();
        try (closed) {
            assertNotEquals(MemorySegment.NULL, closed.mem);
        }
        assertSame(MemorySegment.NULL, closed.mem);
        assertEquals(frees + 1, Slabs.stats(Closed.class).frees());
    }

    @Test
    void aCloseThatThrowsStillFreesTheSegment() {
        long frees = Slabs.stats(Closed.class).frees();
        Closed closed = new Closed();
        closed.fail = true;
        assertThrows(IllegalStateException.class, closed::close);
        assertSame(MemorySegment.NULL, closed.mem);
        assertEquals(frees + 1, Slabs.stats(Closed.class).frees());
    }

    @Test
    void serializableThroughAnInterfaceSendsTheSegmentsBytes() throws Exception {
        Sent sent = new Sent();
        sent.mem.set(JAVA_LONG, 8, 1234);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(sent);
        }
        Sent copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (Sent) in.readObject();
        }
        assertDistinctCopy(sent.mem, copy.mem);
        Slabs.free(sent);
        Slabs.free(copy);
    }

    /** The copy has its own segment, with the original's bytes, that is written without touching the original. */
    private static void assertDistinctCopy(MemorySegment original, MemorySegment copy) {
        assertNotEquals(original.address(), copy.address());
        assertEquals(-1, original.mismatch(copy), "same bytes");
        copy.set(JAVA_LONG, 0, original.get(JAVA_LONG, 0) + 1);
        assertNotEquals(original.get(JAVA_LONG, 0), copy.get(JAVA_LONG, 0));
    }
}
