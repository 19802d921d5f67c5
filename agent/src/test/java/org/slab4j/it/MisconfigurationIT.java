package org.slab4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slab4j.SlabConfigurationException;

/** Runs with the packaged agent: a misconfigured class logs one ERROR line when it loads and cannot be made. */
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
                "AnnotatedSubclass|it extends @Slab class org.slab4j.it.Order, whose cache and segment it shares",
            })
    void logsAtLoadAndThrowsOnInstantiation(String simpleName, String expected) throws Exception {
        String name = Misconfigured.class.getName() + "$" + simpleName;
        String log = stderrWhile(() -> Class.forName(name, false, getClass().getClassLoader()));
        String prefix = "[slab4j-agent] ERROR @Slab class " + name + ": ";
        assertTrue(log.startsWith(prefix + expected), log);
        assertEquals(1, log.lines().count(), log);
        var constructor = Class.forName(name).getDeclaredConstructor();
        constructor.setAccessible(true);
        var thrown = assertThrows(InvocationTargetException.class, constructor::newInstance);
        var error = assertInstanceOf(SlabConfigurationException.class, thrown.getCause());
        assertEquals(log.strip().substring("[slab4j-agent] ERROR ".length()), error.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"AnEnum,an enum", "ARecord,a record", "AnInterface,an interface"})
    void rejectsTheAnnotationOnNonClasses(String simpleName, String what) throws Exception {
        String name = Misconfigured.class.getName() + "$" + simpleName;
        String log = stderrWhile(() -> Class.forName(name, false, getClass().getClassLoader()));
        assertTrue(log.contains("ERROR @Slab class " + name + ": @Slab cannot go on " + what), log);
    }

    private interface Action {
        void run() throws Exception;
    }

    private static String stderrWhile(Action action) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
