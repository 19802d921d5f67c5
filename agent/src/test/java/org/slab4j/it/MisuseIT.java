package org.slab4j.it;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.slab4j.SlabFlag;
import org.slab4j.Slabs;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;

/**
 * Runs with the packaged agent: an application that misuses its {@code @Slab} objects gets the report and keeps
 * running. (Under the agent the runtime logs through java.util.logging.)
 */
class MisuseIT {
    @Slab(name = "misused", size = 32, flags = SlabFlag.POISON)
    static final class Misused {
        @SlabSegment
        MemorySegment mem;

        Misused(long value) {
            mem.set(JAVA_LONG, 0, value);
        }
    }

    /** Collects what the runtime reports on {@code org.slab4j.debug}. */
    private static final class Reports extends Handler {
        final List<String> messages = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord r) {
            messages.add(r.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    @Test
    void aWriteAfterFreeIsReportedWithPoisonAndTheProgramGoesOn() {
        Logger debug = Logger.getLogger("org.slab4j.debug");
        Reports reports = new Reports();
        debug.addHandler(reports);
        try {
            Misused m = new Misused(1);
            MemorySegment kept = Slabs.segmentOf(m); // a reference that outlives the instance's free
            Slabs.free(m);
            kept.set(JAVA_LONG, 8, 0x4242L); // use after free
            Misused again = new Misused(2); // the same object comes back, and its poison is checked
            assertEquals(2, again.mem.get(JAVA_LONG, 0));
            assertTrue(
                    reports.messages.stream()
                            .anyMatch(s -> s.contains("cache 'misused'") && s.contains("write after free")),
                    reports.messages.toString());
            Slabs.free(again);
            Slabs.free(new Misused(3)); // still working
        } finally {
            debug.removeHandler(reports);
        }
    }

    @Test
    void aDoubleFreeIsAClearErrorAndTheProgramGoesOn() {
        Misused m = new Misused(1);
        Slabs.free(m);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Slabs.free(m));
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        Misused next = new Misused(4);
        assertEquals(4, next.mem.get(JAVA_LONG, 0));
        Slabs.free(next);
    }

    @Test
    void anInstanceMadeWithoutItsConstructorIsNamedWithTheReasonAndTheFix() throws Exception {
        // Objenesis (Mockito, Kryo) and Gson make instances like this: no constructor runs, so no segment is taken
        // sun.misc.Unsafe by reflection, as those libraries reach it, so that the build names no internal API
        Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
        Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
        theUnsafe.setAccessible(true);
        Misused raw = (Misused)
                unsafeClass.getMethod("allocateInstance", Class.class).invoke(theUnsafe.get(null), Misused.class);
        String expected = Misused.class.getName() + "@" + Integer.toHexString(System.identityHashCode(raw))
                + " has no segment: no constructor of it ran (an instance made by Unsafe.allocateInstance, or a library"
                + " that uses it such as Objenesis), or its superclass's constructor has not returned yet; make it"
                + " with new, a constructor reference or Constructor.newInstance, which give it a segment";
        // Before: "... has no segment", which said neither why nor what to do
        assertEquals(
                expected,
                assertThrows(IllegalArgumentException.class, () -> Slabs.segmentOf(raw))
                        .getMessage());
        assertEquals(
                expected,
                assertThrows(IllegalArgumentException.class, () -> Slabs.free(raw))
                        .getMessage());
        Slabs.free(new Misused(5)); // still working
    }
}
