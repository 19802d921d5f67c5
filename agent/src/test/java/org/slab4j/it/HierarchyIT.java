package org.slab4j.it;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.slab4j.SlabConfigurationException;
import org.slab4j.Slabs;
import org.slab4j.it.Hierarchy.Canonical;
import org.slab4j.it.Hierarchy.Checked;
import org.slab4j.it.Hierarchy.Closed;
import org.slab4j.it.Hierarchy.ClosedBelow;
import org.slab4j.it.Hierarchy.Closing;
import org.slab4j.it.Hierarchy.ClosingAlone;
import org.slab4j.it.Hierarchy.Copied;
import org.slab4j.it.Hierarchy.Deep;
import org.slab4j.it.Hierarchy.Deeper;
import org.slab4j.it.Hierarchy.Divided;
import org.slab4j.it.Hierarchy.Duplicated;
import org.slab4j.it.Hierarchy.Failing;
import org.slab4j.it.Hierarchy.Fleece;
import org.slab4j.it.Hierarchy.FrozenSlab;
import org.slab4j.it.Hierarchy.Grandchild;
import org.slab4j.it.Hierarchy.Interned;
import org.slab4j.it.Hierarchy.Lamb;
import org.slab4j.it.Hierarchy.Leaf;
import org.slab4j.it.Hierarchy.Made;
import org.slab4j.it.Hierarchy.Nested;
import org.slab4j.it.Hierarchy.OpenAbove;
import org.slab4j.it.Hierarchy.Overwriting;
import org.slab4j.it.Hierarchy.Plain;
import org.slab4j.it.Hierarchy.PrototypeUser;
import org.slab4j.it.Hierarchy.Recopied;
import org.slab4j.it.Hierarchy.Resolving;
import org.slab4j.it.Hierarchy.Restated;
import org.slab4j.it.Hierarchy.Root;
import org.slab4j.it.Hierarchy.Sent;
import org.slab4j.it.Hierarchy.Sheep;
import org.slab4j.it.Hierarchy.Spawning;
import org.slab4j.it.Hierarchy.StaticHelpers;

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
        assertEquals(1, rootSite("newOfASubclassIs").allocations());
        Slabs.free(made);
    }

    @Test
    void newOfASubclassCopyingItsAncestorsSlabIsCountedAtItsSiteUnderTheAncestor() {
        Restated made = new Restated();
        assertEquals(1, rootSite("newOfASubclassCopying").allocations());
        Slabs.free(made);
    }

    /** @return the site of {@code Root}'s type in the test method whose name starts with {@code method} */
    private static Slabs.SiteStats rootSite(String method) {
        return Slabs.stats(Root.class).sites().stream()
                .filter(s -> s.location().startsWith(HierarchyIT.class.getName() + "." + method))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError(Slabs.stats(Root.class).sites().toString()));
    }

    @Test
    void aSubclassOfASubclassCopyingItsAncestorsSlabMayNotOverwriteTheSegment() {
        var before = Slabs.stats(Root.class);
        SlabConfigurationException e = assertThrows(SlabConfigurationException.class, Overwriting::new);
        assertTrue(e.getMessage().contains("@SlabSegment field mem is assigned in a constructor"), e.getMessage());
        var after = Slabs.stats(Root.class);
        assertEquals(before.allocations(), after.allocations());
        assertEquals(before.live(), after.live());
    }

    @Test
    void aSubclassCloneGetsASegmentOfItsOwn() throws Exception {
        assertCopyHasASegmentOfItsOwn(new Failing(false), Failing::clone);
    }

    @Test
    void aCloneInheritedFromAPlainSuperclassGetsASegmentOfItsOwn() throws Exception {
        assertCopyHasASegmentOfItsOwn(new Copied(), original -> (Copied) original.clone());
    }

    /**
     * A deep copy's outer hook runs after the hook of the held node's copy; when the original was freed in between, the
     * copy's segment that the inner hook gave it is its own, not lost.
     */
    @Test
    void aDeepCloneRacingTheOriginalsFreeLosesNoSegment() {
        long live = Slabs.stats(Deep.class).live();
        Deeper original = new Deeper();
        original.next = new Deep();
        Deep.freeDuring = original;
        Deep copy = null;
        try {
            copy = original.clone();
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage().contains("was already freed, so it cannot be cloned"), e.getMessage());
        } finally {
            Deep.freeDuring = null;
        }
        Slabs.free(original.next);
        Deep.heldCopies.forEach(Slabs::free);
        Deep.heldCopies.clear();
        if (copy != null) {
            Slabs.free(copy);
        }
        assertEquals(live, Slabs.stats(Deep.class).live(), "every segment taken was given back");
    }

    @Test
    void aCopyMadeByAPlainSuperclassesOwnHelperGetsASegmentOfItsOwn() throws Exception {
        assertCopyHasASegmentOfItsOwn(new Duplicated(), original -> (Duplicated) original.duplicate());
    }

    @Test
    void aCovariantSuperCloneGetsASegmentOfItsOwn() throws Exception {
        assertCopyHasASegmentOfItsOwn(new Recopied(), Recopied::clone);
    }

    @Test
    void objectCloneOfASlabClassThatDeclaresNoCloneGivesTheCopyASegmentOfItsOwn() throws Exception {
        assertCopyHasASegmentOfItsOwn(new Plain(), Plain::copy);
    }

    @Test
    void objectCloneOfAnIndirectCloneableSubclassGivesTheCopyASegmentOfItsOwn() throws Exception {
        assertCopyHasASegmentOfItsOwn(new Leaf(), Leaf::copy);
    }

    @Test
    void aSubclassCloneOverTheSlabClassesOwnCloneTakesOneSegment() {
        long live = Slabs.stats(Sheep.class).live();
        for (int i = 0; i < 1000; i++) {
            Lamb lamb = new Lamb();
            Lamb copy = lamb.clone();
            Slabs.free(lamb);
            Slabs.free(copy);
        }
        assertEquals(live, Slabs.stats(Sheep.class).live());
    }

    @Test
    void cloneOfAFreedInstanceThrowsAndTakesNoSegment() {
        long live = Slabs.stats(Sheep.class).live();
        Sheep sheep = new Sheep();
        Slabs.free(sheep);
        Lamb lamb = new Lamb();
        Slabs.free(lamb);
        Plain plain = new Plain();
        Slabs.free(plain);
        for (Executable clone : new Executable[] {sheep::clone, lamb::clone, plain::copy}) {
            assertTrue(assertThrows(IllegalStateException.class, clone)
                    .getMessage()
                    .contains("already freed"));
        }
        assertEquals(live, Slabs.stats(Sheep.class).live());
        assertEquals(0, Slabs.stats(Plain.class).live());
    }

    @Test
    void aCloneRacingTheOriginalsFreeEitherCopiesOrThrowsAndLosesNoSegment() throws Exception {
        long live = Slabs.stats(Sheep.class).live();
        List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        int copied = 0;
        for (int i = 0; i < 2000; i++) {
            Lamb lamb = new Lamb();
            Lamb[] copy = new Lamb[1];
            Thread cloner = Thread.ofPlatform().start(() -> {
                try {
                    copy[0] = lamb.clone();
                } catch (IllegalStateException e) {
                    if (!e.getMessage().contains("was already freed, so it cannot be cloned")) {
                        unexpected.add(e);
                    }
                } catch (RuntimeException | Error e) {
                    unexpected.add(e);
                }
            });
            Slabs.free(lamb);
            cloner.join();
            if (copy[0] != null) {
                copied++;
                Slabs.free(copy[0]);
            }
        }
        assertEquals(List.of(), unexpected);
        assertEquals(live, Slabs.stats(Sheep.class).live(), copied + " of 2000 clones won the race");
    }

    /**
     * A clone that wins the race with the original's free holds the original's bytes: the copy was taken from the
     * original's segment while it was still the original's, never while or after its free wiped it (or handed it to
     * another instance). Each page-sized original, filled with its round's number, is freed the moment the cloner
     * starts, many times over, so that frees land during the hook's copy.
     */
    @Test
    void aCloneThatWinsTheRaceWithTheOriginalsFreeHoldsTheOriginalsBytes() throws Exception {
        int rounds = 20_000;
        Fleece[] originals = new Fleece[rounds];
        List<String> wrong = new CopyOnWriteArrayList<>();
        AtomicInteger started = new AtomicInteger(-1);
        AtomicInteger copied = new AtomicInteger();
        Thread cloner = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < rounds; i++) {
                while (started.get() < i) {
                    Thread.onSpinWait();
                }
                Fleece copy;
                try {
                    copy = originals[i].clone();
                } catch (IllegalStateException e) {
                    continue; // lost the race: no copy
                }
                copied.incrementAndGet();
                long first = copy.mem.get(JAVA_LONG, 0);
                long last = copy.mem.get(JAVA_LONG, copy.mem.byteSize() - 8);
                if (first != i + 1 || last != i + 1) {
                    wrong.add("clone " + i + " reads " + first + " ... " + last);
                }
                Slabs.free(copy);
            }
        });
        for (int i = 0; i < rounds; i++) {
            Fleece fleece = new Fleece();
            for (long at = 0; at < fleece.mem.byteSize(); at += 8) {
                fleece.mem.set(JAVA_LONG, at, i + 1);
            }
            originals[i] = fleece;
            started.set(i);
            Slabs.free(fleece);
        }
        cloner.join();
        assertEquals(List.of(), wrong, copied + " of " + rounds + " clones won the race");
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
    void aCloseDeclaredOnlyBelowTheSlabClassFreesTheSegment() {
        long frees = Slabs.stats(OpenAbove.class).frees();
        ClosedBelow closed = new ClosedBelow();
        closed.close();
        assertSame(MemorySegment.NULL, closed.mem);
        assertEquals(frees + 1, Slabs.stats(OpenAbove.class).frees());
    }

    @Test
    void aSubclassCloseThatSkipsSuperCloseStillFreesTheSegment() {
        long frees = Slabs.stats(Closing.class).frees();
        ClosingAlone closed = new ClosingAlone();
        closed.close();
        assertSame(MemorySegment.NULL, closed.mem);
        assertEquals(frees + 1, Slabs.stats(Closing.class).frees());
        closed.close(); // once closed, closing again does nothing, as AutoCloseable allows
        assertEquals(frees + 1, Slabs.stats(Closing.class).frees());
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
        assertCopyHasASegmentOfItsOwn(new Sent(), HierarchyIT::roundTrip);
    }

    @Test
    void anInstanceThatReadResolveReplacesGivesItsSegmentBack() throws Exception {
        Canonical one = Canonical.ONE;
        long live = Slabs.stats(Canonical.class).live();
        for (int i = 0; i < 100; i++) {
            assertSame(one, roundTrip(one));
        }
        assertEquals(live, Slabs.stats(Canonical.class).live());
        assertNotEquals(MemorySegment.NULL, one.mem, "the canonical instance keeps its own");
    }

    @Test
    void aReadResolveThatKeepsTheInstanceThroughSuperLeavesItsSegment() throws Exception {
        Resolving sent = new Resolving();
        Slabs.segmentOf(sent).set(JAVA_LONG, 0, 42);
        Resolving got = roundTrip(sent);
        assertNotSame(sent, got);
        assertEquals(42, Slabs.segmentOf(got).get(JAVA_LONG, 0));
        Slabs.free(sent);
        Slabs.free(got);
    }

    @Test
    void aReadResolveCalledByTheApplicationFreesNothing() {
        Interned one = new Interned();
        Interned.CANON.put(7, one);
        Interned other = new Interned();
        other.key = 7;
        try {
            assertSame(one, other.readResolve());
            assertNotEquals(MemorySegment.NULL, Slabs.segmentOf(other), "still the caller's");
        } finally {
            Interned.CANON.clear();
            Slabs.free(one);
            Slabs.free(other);
        }
    }

    @Test
    void staticReadResolveAndCloseHelpersAreLeftAlone() {
        StaticHelpers h = new StaticHelpers();
        assertEquals("a helper", StaticHelpers.readResolve());
        assertNotEquals(MemorySegment.NULL, h.mem);
        StaticHelpers.close(h);
        assertSame(MemorySegment.NULL, h.mem);
    }

    @Test
    void aCloneThatReturnsThisTakesNoSegment() {
        FrozenSlab frozen = new FrozenSlab();
        long live = Slabs.stats(FrozenSlab.class).live();
        for (int i = 0; i < 100; i++) {
            assertSame(frozen, frozen.copy());
        }
        assertEquals(live, Slabs.stats(FrozenSlab.class).live());
        Slabs.free(frozen);
    }

    @Test
    void aSuperCloneThatMakesAnotherSlabObjectIsLeftAlone() {
        Made made = (Made) new PrototypeUser().make();
        assertNotEquals(MemorySegment.NULL, Slabs.segmentOf(made));
        Slabs.free(made);
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T sent) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(sent);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    @Test
    void aNewInAConstructorsPrologueKeepsTheOuterNewsSite() {
        Nested outer = new Nested(2);
        assertEquals(1, allocationsAt(Nested.class, "aNewInAConstructorsPrologue"));
        assertEquals(2, allocationsAt(Nested.class, Nested.class.getName() + ".<init>"));
        Nested wide = new Nested(1L, 1, 2.0);
        assertEquals(2, allocationsAt(Nested.class, "aNewInAConstructorsPrologue"));
        assertEquals(3, allocationsAt(Nested.class, Nested.class.getName() + ".<init>"));
        for (Nested top : new Nested[] {outer, wide}) {
            for (Nested n = top; n != null; n = n.child) {
                Slabs.free(n);
            }
        }
    }

    @Test
    void aPrologueThatThrowsLeavesNoSiteForTheNextInstance() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new Checked(-1));
        long unattributed = allocationsAt(Checked.class, "(not a new expression)");
        Checked reflected = Checked.class.getDeclaredConstructor(long.class).newInstance(5L);
        assertEquals(unattributed + 1, allocationsAt(Checked.class, "(not a new expression)"));
        assertEquals(0, allocationsAt(Checked.class, "aPrologueThatThrows"));
        Slabs.free(reflected);
    }

    @Test
    void aPrologueThatThrowsWithoutACallLeavesNoSiteForTheNextInstance() throws Exception {
        assertThrows(ArithmeticException.class, () -> new Divided(0));
        long unattributed = allocationsAt(Divided.class, "(not a new expression)");
        Divided reflected = Divided.class.getDeclaredConstructor(long.class).newInstance(5L);
        assertEquals(unattributed + 1, allocationsAt(Divided.class, "(not a new expression)"));
        assertEquals(0, allocationsAt(Divided.class, "aPrologueThatThrowsWithoutACall"));
        Slabs.free(reflected);
    }

    @Test
    void aSubclassWhoseSuperArgumentIsANewSlabObjectKeepsBothSites() {
        Spawning spawning = new Spawning();
        assertEquals(1, allocationsAt(Root.class, "aSubclassWhoseSuperArgument"));
        assertEquals(1, allocationsAt(Root.class, Hierarchy.Spawning.class.getName() + ".<init>"));
        Slabs.free((Root) spawning.held);
        Slabs.free(spawning);
    }

    /** @return allocations at the sites of {@code type} whose location starts with {@code where} (a test method name) */
    private static long allocationsAt(Class<?> type, String where) {
        String prefix =
                where.startsWith("(") || where.contains(".") ? where : HierarchyIT.class.getName() + "." + where;
        long sum = 0;
        for (var site : Slabs.stats(type).sites()) {
            if (site.location().startsWith(prefix)) {
                sum += site.allocations();
            }
        }
        return sum;
    }

    /** Makes a copy the way the test says, and of an instance of any {@code @Slab} class or subclass. */
    private interface Copier<T> {
        T copy(T original) throws Exception;
    }

    /**
     * The copy of an instance whose segment holds a value has its own segment, with the same bytes, that is written
     * without touching the original's; both free once.
     */
    private static <T> void assertCopyHasASegmentOfItsOwn(T original, Copier<T> copier) throws Exception {
        MemorySegment mem = Slabs.segmentOf(original);
        mem.set(JAVA_LONG, 0, 41);
        T copy = copier.copy(original);
        MemorySegment copied = Slabs.segmentOf(copy);
        assertNotEquals(mem.address(), copied.address());
        assertEquals(-1, mem.mismatch(copied), "same bytes");
        copied.set(JAVA_LONG, 0, 42);
        assertEquals(41, mem.get(JAVA_LONG, 0));
        Slabs.free(original);
        Slabs.free(copy);
    }
}
