package org.slab4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slab4j.SlabConfigurationException;
import org.slab4j.Slabs;

/**
 * Runs with the packaged agent: a misconfigured class logs one ERROR line when it loads (or, for what only shows at run
 * time, when it is first used) and cannot be made.
 */
class MisconfigurationIT {
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "NoSize|size 0 is not positive; give @Slab(size = N) with N > 0, or layout = \"FIELD\"",
                "NegativeSize|size -8 is not positive",
                "MissingLayout|layout \"MISSING\" names no static MemoryLayout field",
                "WrongLayoutType|layout \"NOT_A_LAYOUT\" names no static MemoryLayout field",
                "MissingCtor|ctor \"missing\" names no 'static void missing(MemorySegment)' method",
                "WrongCtorSignature|ctor \"init\" names no 'static void init(MemorySegment)' method",
                "WrongFieldType|@SlabSegment field mem has type J; declare it as MemorySegment",
                "NoField|no @SlabSegment field; declare '@SlabSegment MemorySegment mem;'",
                "AssignedField|@SlabSegment field mem is assigned in a constructor (a field initializer such as 'mem = ...' is one)",
                "AnnotatedSubclass|it extends @Slab class org.slab4j.it.Order, whose cache and segment it shares",
            })
    void logsAtLoadAndThrowsOnInstantiation(String simpleName, String expected) throws Exception {
        String name = Misconfigured.class.getName() + "$" + simpleName;
        String log = Stderr.during(() -> Class.forName(name, false, getClass().getClassLoader()));
        String prefix = "[slab4j-agent] ERROR @Slab class " + name + ": ";
        assertTrue(log.startsWith(prefix + expected), log);
        assertEquals(1, log.lines().count(), log);
        var constructor = Class.forName(name).getDeclaredConstructor();
        constructor.setAccessible(true);
        var thrown = assertThrows(InvocationTargetException.class, constructor::newInstance);
        var error = assertInstanceOf(SlabConfigurationException.class, thrown.getCause());
        assertEquals(log.strip().substring("[slab4j-agent] ERROR ".length()), error.getMessage());
    }

    /** A subclass may not store into the segment field it inherits either: two instances would share one segment. */
    @Test
    void aSubclassThatAssignsTheInheritedSegmentFieldIsReportedAtLoadAndCannotBeMade() throws Exception {
        String name = Misconfigured.class.getName() + "$AssigningSubclass";
        String log = Stderr.during(() -> Class.forName(name, false, getClass().getClassLoader()));
        String expected = "subclass " + name + " of @Slab class " + Misconfigured.Shared.class.getName()
                + ": @SlabSegment field mem is assigned in method share(), which would overwrite the segment the agent"
                + " gives each instance and lose it; remove the assignment and let the agent set the field";
        assertEquals("[slab4j-agent] ERROR " + expected, log.strip());
        var constructor = Class.forName(name).getDeclaredConstructor();
        constructor.setAccessible(true);
        var thrown = assertThrows(InvocationTargetException.class, constructor::newInstance);
        var error = assertInstanceOf(SlabConfigurationException.class, thrown.getCause());
        assertEquals(expected, error.getMessage());
        assertEquals(0, Slabs.stats(Misconfigured.Shared.class).allocations(), "no segment was taken");
    }

    /** A store into a field of the same name and another type, which hides the segment field, is no such store. */
    @Test
    void aSubclassThatAssignsAFieldHidingTheSegmentFieldIsFine() throws Exception {
        String name = Misconfigured.class.getName() + "$HidingSubclass";
        String log = Stderr.during(() -> Class.forName(name, false, getClass().getClassLoader()));
        assertEquals("", log.strip());
        var constructor = Class.forName(name).getDeclaredConstructor();
        constructor.setAccessible(true);
        Object made = constructor.newInstance();
        assertEquals(8, Slabs.segmentOf(made).byteSize(), "it has its segment");
        Slabs.free(made);
    }

    /**
     * The numbers of a class that the agent left as compiled for its configuration error are refused, as a class's are
     * without the agent, but the message gives the agent's reasons rather than telling to start it, which this JVM did.
     */
    @Test
    void theStatsOfAClassLeftAsCompiledGiveTheAgentsReasons() throws Exception {
        String name = Misconfigured.class.getName() + "$ReadOnly";
        String log = Stderr.during(() -> Class.forName(name, false, getClass().getClassLoader()));
        assertTrue(log.startsWith("[slab4j-agent] ERROR @Slab class " + name + ": size -16 is not positive"), log);
        Class<?> type = Class.forName(name);
        String message = assertThrows(IllegalArgumentException.class, () -> Slabs.stats(type))
                .getMessage();
        assertTrue(message.startsWith(name + " was not instrumented by the slab4j agent running in this JVM"), message);
        assertTrue(message.contains("configuration error"), message);
        assertFalse(message.contains("start the JVM with"), message);
    }

    @ParameterizedTest
    @CsvSource({"ARecord,a record", "AnInterface,an interface"})
    void rejectsTheAnnotationOnNonClasses(String simpleName, String what) throws Exception {
        String name = Misconfigured.class.getName() + "$" + simpleName;
        String log = Stderr.during(() -> Class.forName(name, false, getClass().getClassLoader()));
        assertTrue(log.contains("ERROR @Slab class " + name + ": @Slab cannot go on " + what), log);
    }

    @Test
    void anAnnotatedEnumIsReportedOnceAndLeftUsable() throws Exception {
        String name = Misconfigured.class.getName() + "$AnEnum";
        String log = Stderr.during(() -> {
            Class<?> type = Class.forName(name, true, getClass().getClassLoader());
            assertEquals(1, type.getEnumConstants().length);
            assertEquals("A", type.getEnumConstants()[0].toString());
            assertEquals(1, type.getEnumConstants().length);
        });
        assertEquals(1, log.lines().count(), log);
        assertTrue(log.contains("ERROR @Slab class " + name + ": @Slab cannot go on an enum"), log);
        Object constant = Class.forName(name).getEnumConstants()[0];
        var e = assertThrows(IllegalArgumentException.class, () -> Slabs.free(constant));
        assertEquals(
                name + " is an enum, which @Slab cannot go on (the agent reported it at load and left it as compiled):"
                        + " its constants have no segment; put @Slab on a class",
                e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "TooLarge|its cache cannot be created (",
                "EmptyLayout|its size is 0; give @Slab(size = N) with N > 0 or layout = \"FIELD\"",
                "NullLayout|layout field L must be a non-null static final MemoryLayout",
                "OverAligned|its cache cannot be created (",
                "BadName|its cache name cannot be used (cache 'my?order': a name cannot hold white space, control or"
                        + " format characters (slabinfo rows are split on white space); use for example 'my_order');"
                        + " give @Slab(name = ...) another name",
            })
    void aProblemFoundAtFirstUseIsLoggedOnceThenAndThrownAtEveryInstantiation(String simpleName, String expected)
            throws Exception {
        String name = Misconfigured.class.getName() + "$" + simpleName;
        String atLoad =
                Stderr.during(() -> Class.forName(name, false, getClass().getClassLoader()));
        assertEquals("", atLoad, "nothing the agent can see in the class file");
        List<LogRecord> errors = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                errors.add(r);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger config = Logger.getLogger("org.slab4j.config");
        config.addHandler(handler);
        List<String> thrown = new ArrayList<>();
        try {
            var constructor = Class.forName(name).getDeclaredConstructor();
            constructor.setAccessible(true);
            for (int i = 0; i < 3; i++) {
                var e = assertThrows(InvocationTargetException.class, constructor::newInstance);
                thrown.add(assertInstanceOf(SlabConfigurationException.class, e.getCause())
                        .getMessage());
            }
        } finally {
            config.removeHandler(handler);
        }
        String message = thrown.get(0);
        assertTrue(message.startsWith("@Slab class " + name + ": " + expected), message);
        assertEquals(List.of(message, message, message), thrown);
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(Level.SEVERE, errors.get(0).getLevel());
        assertEquals(message, errors.get(0).getMessage());
    }
}
