package org.slab4j.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slab4j.KmemCache;
import org.slab4j.SlabAllocator;
import org.slab4j.SlabFlag;

/** One configuration surface: the builder's names, one syntax per kind, sources in order, one warning per problem. */
class OptionsTest {
    private final List<String> warnings = new ArrayList<>();

    private static Properties properties(String... pairs) {
        Properties p = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            p.setProperty(pairs[i], pairs[i + 1]);
        }
        return p;
    }

    private static Object parse(Kind kind, String text) {
        return Option.of("x", kind, "", "").parse(text);
    }

    @Test
    void everyOptionIsNamedAsTheBuilderNamesItAndSetsIt() throws Exception {
        for (Option<?> o : GlobalOptions.options()) {
            if (!o.name().equals("report")) { // the shorthand for reportInterval and reportAtExit
                SlabAllocator.Builder.class.getMethod(o.name(), SlabAllocatorBuilderTypes.of(o.name()));
            }
        }
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> GlobalOptions.apply(SlabAllocator.builder(), Option.of("colour", Kind.LONG, "", ""), 1L));
        assertEquals("option colour has no builder setting", e.getMessage());
        assertEquals(
                "SLAB4J_REPORT_INTERVAL",
                GlobalOptions.options().stream()
                        .filter(o -> o.name().equals("reportInterval"))
                        .findFirst()
                        .orElseThrow()
                        .environmentVariable());
    }

    /** The parameter type of each builder setter, to look it up by name. */
    private static final class SlabAllocatorBuilderTypes {
        static Class<?> of(String name) {
            for (var m : SlabAllocator.Builder.class.getMethods()) {
                if (m.getName().equals(name) && m.getParameterCount() == 1) {
                    return m.getParameterTypes()[0];
                }
            }
            throw new AssertionError("the builder has no setter " + name);
        }
    }

    @Test
    void durationsAreOneSyntax() {
        assertEquals(Duration.ofMillis(500), parse(Kind.DURATION, "500ms"));
        assertEquals(Duration.ofSeconds(10), parse(Kind.DURATION, "10S"));
        assertEquals(Duration.ofMinutes(5), parse(Kind.DURATION, "5m"));
        assertEquals(Duration.ofHours(1), parse(Kind.DURATION, "1h"));
        assertEquals(Duration.ZERO, parse(Kind.DURATION, "0"));
        assertEquals(Duration.ofMinutes(Long.MAX_VALUE / 60), parse(Kind.DURATION, Long.MAX_VALUE / 60 + "m"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5000", "-1s", "abc", "5d", "999999999999999999h", "99999999999999999999ms", ""})
    void aBadDurationSaysWhatIsAccepted(String text) {
        Option<Duration> o = Option.of("reportInterval", Kind.DURATION, "60s", "");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> o.parse(text));
        assertEquals(
                "reportInterval must be 0 or a duration such as 500ms, 10s, 5m or 1h, not '" + text + "'",
                e.getMessage());
    }

    @Test
    void bytesBooleansAndRanges() {
        assertEquals(1L << 30, parse(Kind.BYTES, "1g"));
        assertEquals(512L << 20, parse(Kind.BYTES, "512M"));
        assertEquals(4096L, parse(Kind.BYTES, "4096"));
        assertThrows(IllegalArgumentException.class, () -> parse(Kind.BYTES, "99999999999g"));
        assertEquals(false, parse(Kind.BOOLEAN, "FALSE"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Option.of("sites", Kind.BOOLEAN, "true", "")
                        .parse("yes"));
        assertEquals("sites must be true or false, not 'yes'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Option.integer("nodes", 1, 64, "1", "")
                .parse("65"));
        assertEquals("nodes must be a whole number from 1 to 64, not '65'", e.getMessage());
    }

    @Test
    void aPageOrLineSizeThatIsNoPowerOfTwoIsNamedAndTheNextSourceApplies() {
        GlobalOptions.options(); // declared
        Settings s = new Settings(
                Map.of("pageSize", "5000", "cacheLineSize", "3"),
                properties("slab4j.pageSize", "8192"),
                Map.of("SLAB4J_CACHE_LINE_SIZE", "128"));
        assertEquals(8192, s.value(GlobalOptions.PAGE_SIZE, warnings::add));
        assertEquals(128, s.value(GlobalOptions.CACHE_LINE_SIZE, warnings::add));
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("pageSize=5000 ignored: pageSize must be a power of two"), warnings.get(0));
        assertTrue(
                warnings.get(1).contains("cacheLineSize=3 ignored: cacheLineSize must be a power of two"),
                warnings.get(1));
    }

    @Test
    void debugTakesSlabDebugLettersOrFlagNames() {
        assertEquals(
                EnumSet.of(SlabFlag.POISON, SlabFlag.RED_ZONE, SlabFlag.STORE_USER), parse(Kind.DEBUG_FLAGS, "PZU"));
        assertEquals(EnumSet.of(SlabFlag.RED_ZONE), parse(Kind.DEBUG_FLAGS, "z"));
        assertEquals(EnumSet.of(SlabFlag.POISON, SlabFlag.STORE_USER), parse(Kind.DEBUG_FLAGS, "poison, STORE_USER"));
        // ':' as in every list, since an agent argument splits its options at commas
        assertEquals(EnumSet.of(SlabFlag.POISON, SlabFlag.RED_ZONE), parse(Kind.DEBUG_FLAGS, "poison:RED_ZONE"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> parse(Kind.DEBUG_FLAGS, "POISSON"));
        assertTrue(e.getMessage().contains("'POISSON'"), e.getMessage());
    }

    @Test
    void reportIsOffExitOrAnInterval() {
        assertEquals(new Kind.ReportMode(Duration.ZERO, false), parse(Kind.REPORT_MODE, "off"));
        assertEquals(new Kind.ReportMode(Duration.ZERO, true), parse(Kind.REPORT_MODE, "exit"));
        assertEquals(new Kind.ReportMode(Duration.ofSeconds(5), true), parse(Kind.REPORT_MODE, "5s"));
        assertThrows(IllegalArgumentException.class, () -> parse(Kind.REPORT_MODE, "-1"));
    }

    @Test
    void argumentsWinOverPropertiesWhichWinOverTheEnvironment() {
        Option<Long> seed = Option.of("precedenceSeed", Kind.LONG, "0", "");
        Properties p = properties("slab4j.precedenceSeed", "2");
        Map<String, String> env = Map.of("SLAB4J_PRECEDENCE_SEED", "3");
        assertEquals(1L, new Settings(Map.of("precedenceSeed", "1"), p, env).value(seed, warnings::add));
        assertEquals(2L, new Settings(Map.of(), p, env).value(seed, warnings::add));
        assertEquals(3L, new Settings(Map.of(), new Properties(), env).value(seed, warnings::add));
        assertNull(new Settings(Map.of(), new Properties(), Map.of()).value(seed, warnings::add));
        assertEquals(List.of(), warnings);
    }

    @Test
    void aMalformedValueIsNamedOnceAndTheNextSourceApplies() {
        Option<Long> seed = Option.of("malformedSeed", Kind.LONG, "0", "");
        Settings s = new Settings(Map.of("malformedSeed", "x"), properties("slab4j.malformedSeed", "7"), Map.of());
        assertEquals(7L, s.value(seed, warnings::add));
        assertEquals(7L, s.value(seed, warnings::add));
        assertEquals(
                List.of("slab4j: agent argument malformedSeed=x ignored: malformedSeed must be a whole number, not 'x';"
                        + " the next source or the default (0) applies"),
                warnings);
    }

    @Test
    void unknownNamesAreNamedInOneWarningWithTheKnownOnes() {
        GlobalOptions.options(); // declared
        Settings s = new Settings(
                Map.of("colour", "blue", "nodes", "1"),
                properties("slab4j.reapIntervalMillis", "0", "slab4j.it.agent", "x.jar", "slab4j.merge", "false"),
                Map.of("SLAB4J_SIZES", "3", "SLAB4J_NODES", "1", "PATH", "/bin"));
        assertEquals(
                List.of(
                        "colour (agent argument)",
                        "slab4j.reapIntervalMillis (system property)",
                        "SLAB4J_SIZES (environment variable)"),
                s.unknown());
        s.check(warnings::add);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(
                warnings.getFirst().startsWith("slab4j: unknown option(s) [colour (agent argument), "),
                warnings.toString());
        assertTrue(warnings.getFirst().contains("; known: [cacheLineSize, cpus, debug, "), warnings.toString());
        assertTrue(
                warnings.getFirst().contains("reapInterval, report, reportAtExit, reportInterval, reportJson"),
                warnings.toString());
    }

    @Test
    void aNameThatSpellsAnOptionOtherwiseIsGivenItsSpellingInTheSameSource() {
        GlobalOptions.options(); // declared
        Settings s = new Settings(
                Map.of("Report", "exit", "report_json", "true", "RED_ZONE", "true"),
                properties(
                        "slab4j.report.interval", "5s",
                        "slab4j.reportinterval", "5s",
                        "slab4j.memory-limit", "1g",
                        "slab4j.it.agent", "x.jar"),
                Map.of("SLAB4J_REPORTINTERVAL", "5s", "SLAB4J_reportInterval", "5s"));
        assertEquals(
                List.of(
                        "RED_ZONE (agent argument: debug flags in the agent argument are separated by ':', as in"
                                + " debug=POISON:RED_ZONE)",
                        "Report (agent argument: did you mean report?)",
                        "report_json (agent argument: did you mean reportJson?)",
                        "slab4j.memory-limit (system property: did you mean slab4j.memoryLimit?)",
                        "slab4j.report.interval (system property: did you mean slab4j.reportInterval?)",
                        "slab4j.reportinterval (system property: did you mean slab4j.reportInterval?)",
                        "SLAB4J_REPORTINTERVAL (environment variable: did you mean SLAB4J_REPORT_INTERVAL?)",
                        "SLAB4J_reportInterval (environment variable: did you mean SLAB4J_REPORT_INTERVAL?)"),
                s.unknown());
    }

    @Test
    void theGlobalOptionsUseTheBuildersNamesAndSyntax() {
        Settings s = new Settings(
                Map.of(),
                properties(
                        "slab4j.reapInterval", "0",
                        "slab4j.reportInterval", "5s",
                        "slab4j.nodes", "-1",
                        "slab4j.memoryLimit", "64m"),
                Map.of());
        SlabAllocator.Builder b = SlabAllocator.builder().jmx(false).reportAtExit(false);
        GlobalOptions.configure(b, s, warnings::add);
        try (SlabAllocator a = b.build()) {
            assertEquals(64L << 20, a.memoryLimit());
        }
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(
                warnings.getFirst().startsWith("slab4j: system property slab4j.nodes=-1 ignored: nodes must be"),
                warnings.toString());
    }

    @Test
    void randomSeedIsRead() {
        assertEquals(order("42"), order("42"), "the same seed, the same freelist order");
        assertNotEquals(order("42"), order("43"), "another seed, another order");
    }

    /** @return the order in which a new slab of a randomised freelist hands out its objects */
    private List<Long> order(String seed) {
        Settings s = new Settings(
                Map.of(),
                properties("slab4j.freelistRandom", "true", "slab4j.randomSeed", seed, "slab4j.reapInterval", "0"),
                Map.of());
        SlabAllocator.Builder b =
                SlabAllocator.builder().jmx(false).reportAtExit(false).reportInterval(Duration.ZERO);
        try (SlabAllocator a = GlobalOptions.configure(b, s, warnings::add).build()) {
            KmemCache c = a.createCache("seeded", 256);
            List<MemorySegment> objs = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                objs.add(c.alloc());
            }
            long base = objs.stream().mapToLong(MemorySegment::address).min().orElseThrow();
            return objs.stream().map(o -> o.address() - base).toList();
        }
    }
}
