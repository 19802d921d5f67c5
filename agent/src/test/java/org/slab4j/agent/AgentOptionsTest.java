package org.slab4j.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slab4j.it.Stderr;

/** Parsing of the agent argument and the slab4j.* system properties. */
class AgentOptionsTest {
    @Test
    void parsesEveryOption() {
        AgentOptions options = AgentOptions.parse(
                "report=10s,sites=false,include=com.acme.*:org.foo.Bar,exclude=com.acme.gen.**,nodes=2,merge=false,"
                        + "debug=PZ",
                new Properties());
        assertEquals(Duration.ofSeconds(10), options.reportInterval());
        assertFalse(options.sites());
        assertEquals(List.of("com/acme/*", "org/foo/Bar"), options.include());
        assertEquals(
                Map.of("slab4j.nodes", "2", "slab4j.merge", "false", "slab4j.debug", "PZ"),
                options.allocatorProperties());
        assertTrue(options.accepts("com/acme/Order"));
        assertTrue(options.accepts("com/acme/sub/Order"));
        assertTrue(options.accepts("org/foo/Bar"));
        assertFalse(options.accepts("org/foo/Baz"));
        assertFalse(options.accepts("com/acme/gen/Order"));
    }

    @Test
    void defaultsInstrumentEverythingWithSitesAndNoReport() {
        AgentOptions options = AgentOptions.parse(null, new Properties());
        assertTrue(options.sites());
        assertTrue(options.reportInterval().isZero());
        assertTrue(options.accepts("any/Class"));
    }

    @Test
    void reportAtExit() {
        AgentOptions options = AgentOptions.parse("report=exit", new Properties());
        assertTrue(options.reportAtExit());
        assertTrue(options.reportInterval().isZero());
    }

    @Test
    void systemPropertiesApplyAndTheAgentArgumentWins() {
        Properties system = new Properties();
        system.setProperty("slab4j.report", "500ms");
        system.setProperty("slab4j.sites", "false");
        AgentOptions options = AgentOptions.parse("sites=true", system);
        assertEquals(Duration.ofMillis(500), options.reportInterval());
        assertTrue(options.sites());
    }

    @Test
    void unknownKeysAreNamedInOneWarning() throws Exception {
        String log = Stderr.during(() -> AgentOptions.parse("report=1m,colour=blue,sizes=3", new Properties()));
        assertEquals(
                "[slab4j-agent] WARN unknown agent option(s) [colour, sizes] ignored; known: [debug, exclude, include,"
                        + " merge, nodes, report, sites]",
                log.strip());
        assertEquals(1, log.lines().count(), log);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "-5ms", "-2m", "abc", "999999999999999999m", "99999999999999999999"})
    void aBadReportIntervalIsNamedInOneWarningAndTurnsTheReportOff(String value) throws Exception {
        AgentOptions[] options = new AgentOptions[1];
        String log = Stderr.during(() -> options[0] = AgentOptions.parse("report=" + value, new Properties()));
        assertTrue(options[0].reportInterval().isZero());
        assertFalse(options[0].reportAtExit());
        assertEquals(
                "[slab4j-agent] WARN report '" + value + "' is not like 500ms, 10s, 5m, 0 or exit; no report",
                log.strip());
        assertEquals(1, log.lines().count(), log);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "nodes|-1|nodes must be between 1 and 64, not -1",
                "nodes|65|nodes must be between 1 and 64, not 65",
                "nodes|abc|nodes must be between 1 and 64, not 'abc'",
                "merge|maybe|merge must be true or false, not 'maybe'",
                "debug|QQ|slab4j.debug: unknown flag 'QQ' (give slab_debug letters P, Z, U, or names of [",
            })
    void aMalformedAllocatorOptionIsNamedInOneWarningAndDropped(String key, String value, String reason)
            throws Exception {
        AgentOptions[] options = new AgentOptions[1];
        String log = Stderr.during(
                () -> options[0] = AgentOptions.parse(key + "=" + value + ",sites=false", new Properties()));
        assertEquals(Map.of(), options[0].allocatorProperties());
        assertFalse(options[0].sites(), "the other options apply");
        assertTrue(
                log.startsWith("[slab4j-agent] WARN allocator option " + key + "=" + value + " ignored: " + reason),
                log);
        assertTrue(log.strip().endsWith("; -Dslab4j." + key + " or the allocator's default applies"), log);
        assertEquals(1, log.lines().count(), log);
    }

    @Test
    void theLongestReportIntervalsAreAccepted() {
        assertEquals(
                Duration.ofMinutes(Long.MAX_VALUE / 60),
                AgentOptions.parse("report=" + Long.MAX_VALUE / 60 + "m", new Properties())
                        .reportInterval());
        assertEquals(
                Duration.ofSeconds(Long.MAX_VALUE),
                AgentOptions.parse("report=" + Long.MAX_VALUE + "s", new Properties())
                        .reportInterval());
    }
}
