package org.slab4j.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slab4j.it.Stderr;

/**
 * The agent's options, read with every other slab4j option from the agent argument, {@code slab4j.*} system
 * properties and {@code SLAB4J_*} environment variables (first wins); each problem is one WARN line, and the rest
 * apply. Warnings are given once per JVM, so each test uses values of its own.
 */
class AgentOptionsTest {
    private static AgentOptions parse(String args) {
        return AgentOptions.parse(args, new Properties(), Map.of());
    }

    @Test
    void parsesTheAgentsOptions() {
        AgentOptions options = parse("sites=false,include=com.acme.*:org.foo.Bar,exclude=com.acme.gen.**,nodes=2");
        assertFalse(options.sites());
        assertEquals(List.of("com/acme/*", "org/foo/Bar"), options.include());
        assertTrue(options.accepts("com/acme/Order"));
        assertTrue(options.accepts("com/acme/sub/Order"));
        assertTrue(options.accepts("org/foo/Bar"));
        assertFalse(options.accepts("org/foo/Baz"));
        assertFalse(options.accepts("com/acme/gen/Order"));
    }

    /**
     * A key given twice in the agent argument (an appended {@code report=off} in a launcher script) or a value without a
     * name took effect or vanished without a word; each is named in one WARN, and the last value of a key applies.
     */
    @Test
    void aKeyGivenTwiceOrAValueWithoutANameIsWarnedAbout() throws Exception {
        AgentOptions[] options = new AgentOptions[1];
        String log = Stderr.during(
                () -> options[0] = parse("exclude=first.Twice,include=a.B,exclude=second.Twice, =orphan,,"));
        assertEquals(List.of("second/Twice"), options[0].exclude(), "the last value applies");
        assertTrue(
                log.contains("[slab4j-agent] WARN slab4j: agent argument exclude is given 2 times; the last,"
                        + " exclude=second.Twice, applies"),
                log);
        assertTrue(
                log.contains(
                        "[slab4j-agent] WARN slab4j: agent argument '=orphan' has no name before its '='; ignored"),
                log);
        assertEquals(2, log.lines().count(), log);
    }

    @Test
    void defaultsInstrumentEverythingWithSites() throws Exception {
        String log = Stderr.during(() -> {
            AgentOptions options = parse(null);
            assertTrue(options.sites());
            assertTrue(options.accepts("any/Class"));
        });
        assertEquals("", log);
    }

    @Test
    void theAgentArgumentWinsThenThePropertyThenTheEnvironment() {
        Properties system = new Properties();
        system.setProperty("slab4j.include", "from.property.*");
        Map<String, String> env = Map.of("SLAB4J_INCLUDE", "from.env.*", "SLAB4J_SITES", "false");
        assertEquals(
                List.of("from/env/*"),
                AgentOptions.parse(null, new Properties(), env).include());
        assertEquals(
                List.of("from/property/*"),
                AgentOptions.parse(null, system, env).include());
        assertEquals(
                List.of("from/arg/*"),
                AgentOptions.parse("include=from.arg.*", system, env).include());
        assertFalse(AgentOptions.parse(null, system, env).sites());
        assertTrue(AgentOptions.parse("sites=true", system, env).sites());
    }

    @Test
    void unknownKeysAreNamedInOneWarningWithTheKnownOnes() throws Exception {
        String log = Stderr.during(() -> parse("report=1m,colour=blue,sizes=3"));
        assertTrue(
                log.startsWith("[slab4j-agent] WARN slab4j: unknown option(s) [colour (agent argument), sizes (agent"
                        + " argument)] ignored; known: [cacheLineSize, cpus, debug, exclude, freelistRandom, include,"),
                log);
        assertTrue(log.contains(" report, reportAtExit, reportInterval, reportJson, sites, slabMaxOrder"), log);
        assertEquals(1, log.lines().count(), log);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "sites|yes|sites must be true or false, not 'yes'; the next source or the default (true) applies",
                "report|-1|report must be off, exit, or a duration such as 500ms, 10s, 5m or 1h, not '-1'",
                "report|999999999999999999m|report must be off, exit, or a duration",
                "reportInterval|5000|reportInterval must be 0 or a duration such as 500ms, 10s, 5m or 1h, not '5000'",
                "nodes|-1|nodes must be a whole number from 1 to 64, not '-1'",
                "merge|maybe|merge must be true or false, not 'maybe'",
                "debug|QQ|debug must be slab_debug letters P, Z, U, or names of [",
                "leaks|bogus|leaks must be sample, all or off, not 'bogus'",
            })
    void aMalformedValueIsNamedInOneWarningAndIgnored(String key, String value, String reason) throws Exception {
        AgentOptions[] options = new AgentOptions[1];
        String log = Stderr.during(() -> options[0] = parse(key + "=" + value + ",exclude=x.Y"));
        assertEquals(List.of("x/Y"), options[0].exclude(), "the other options apply");
        assertTrue(
                log.startsWith(
                        "[slab4j-agent] WARN slab4j: agent argument " + key + "=" + value + " ignored: " + reason),
                log);
        assertEquals(1, log.lines().count(), log);
        assertTrue(options[0].sites(), "a malformed sites is ignored: the default applies");
    }
}
