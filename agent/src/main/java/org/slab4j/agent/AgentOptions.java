package org.slab4j.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.slab4j.Slabs;

/**
 * The agent's options: {@code key=value} pairs separated by commas after the jar in {@code -javaagent}, each of which
 * may also be given as the system property {@code slab4j.key}; the agent argument wins. Unknown keys in the agent
 * argument are reported in one warning, and so is each malformed value, which is then ignored.
 *
 * @param reportInterval how often the type and site report goes to standard error; zero for never
 * @param reportAtExit whether the report goes to standard error when the JVM exits ({@code report=exit})
 * @param sites whether {@code new} expressions are rewritten to attribute allocations to their site
 * @param include class-name patterns to instrument (all if empty)
 * @param exclude class-name patterns never instrumented
 * @param allocatorProperties system properties for {@code SlabAllocator.global()} (nodes, merge) and the per-type
 *     debug flags, set before the allocator is created
 */
record AgentOptions(
        Duration reportInterval,
        boolean reportAtExit,
        boolean sites,
        List<String> include,
        List<String> exclude,
        Map<String, String> allocatorProperties) {
    static final String PREFIX = "slab4j.";
    private static final Set<String> AGENT_KEYS = Set.of("report", "sites", "include", "exclude");
    private static final Set<String> ALLOCATOR_KEYS = Set.of("nodes", "merge", "debug");

    /**
     * @param agentArgs the text after {@code =} in {@code -javaagent}, or {@code null}
     * @param system the system properties
     */
    static AgentOptions parse(String agentArgs, Properties system) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : AGENT_KEYS) {
            String value = system.getProperty(PREFIX + key);
            if (value != null) {
                values.put(key, value);
            }
        }
        List<String> unknown = new ArrayList<>();
        Map<String, String> allocator = new LinkedHashMap<>();
        if (agentArgs != null && !agentArgs.isBlank()) {
            for (String pair : agentArgs.split(",")) {
                int eq = pair.indexOf('=');
                String key = (eq < 0 ? pair : pair.substring(0, eq)).trim();
                String value = eq < 0 ? "true" : pair.substring(eq + 1).trim();
                if (AGENT_KEYS.contains(key)) {
                    values.put(key, value);
                } else if (ALLOCATOR_KEYS.contains(key)) {
                    if (allocatorOptionIsValid(key, value)) {
                        allocator.put(PREFIX + key, value);
                    }
                } else if (!key.isEmpty()) {
                    unknown.add(key);
                }
            }
        }
        if (!unknown.isEmpty()) {
            Set<String> known = new TreeSet<>(AGENT_KEYS);
            known.addAll(ALLOCATOR_KEYS);
            AgentLog.warn("unknown agent option(s) " + unknown + " ignored; known: " + known);
        }
        String report = values.getOrDefault("report", "0");
        boolean atExit = report.trim().equalsIgnoreCase("exit");
        return new AgentOptions(
                atExit ? Duration.ZERO : duration(report),
                atExit,
                Boolean.parseBoolean(values.getOrDefault("sites", "true")),
                patterns(values.get("include")),
                patterns(values.get("exclude")),
                allocator);
    }

    /**
     * Checks an allocator option by the rules of {@code SlabAllocator.global()}, which would otherwise fail on it at the
     * first use of a {@code @Slab} class (so the runtime must be reachable: parse after installing it).
     *
     * @return whether it is valid; if not, a warning names it and what is accepted
     */
    private static boolean allocatorOptionIsValid(String key, String value) {
        try {
            Slabs.checkAllocatorOption(key, value);
            return true;
        } catch (IllegalArgumentException e) {
            AgentLog.warn("allocator option " + key + "=" + value + " ignored: " + e.getMessage() + "; -D" + PREFIX
                    + key + " or the allocator's default applies");
            return false;
        }
    }

    /**
     * @return the report interval {@code text} gives, or zero (no report) after a warning if it is not a
     *     non-negative number of milliseconds, seconds or minutes that a {@link Duration} holds
     */
    private static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            Duration interval;
            if (t.endsWith("ms")) {
                interval = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("m")) {
                interval = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            } else {
                interval = Duration.ofSeconds(Long.parseLong(t.endsWith("s") ? t.substring(0, t.length() - 1) : t));
            }
            if (!interval.isNegative()) {
                return interval;
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // not a number, or more minutes than a Duration holds: warned about below
        }
        AgentLog.warn("report '" + text + "' is not like 500ms, 10s, 5m, 0 or exit; no report");
        return Duration.ZERO;
    }

    private static List<String> patterns(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String p : text.split(":")) {
            if (!p.isBlank()) {
                out.add(p.trim().replace('.', '/'));
            }
        }
        return List.copyOf(out);
    }

    /** Sets the allocator properties not already set on the command line. */
    void applyAllocatorProperties() {
        for (Map.Entry<String, String> property : allocatorProperties.entrySet()) {
            if (System.getProperty(property.getKey()) == null) {
                System.setProperty(property.getKey(), property.getValue());
            }
        }
    }

    /**
     * @param internalName a class name with slashes
     * @return whether include and exclude patterns allow instrumenting the class; a pattern ending in {@code .*}
     *     (or {@code .**}) matches a package and its subpackages, any other names one class
     */
    boolean accepts(String internalName) {
        return (include.isEmpty() || matchesAny(include, internalName)) && !matchesAny(exclude, internalName);
    }

    private static boolean matchesAny(List<String> patterns, String name) {
        for (String p : patterns) {
            String prefix = p.endsWith("/**")
                    ? p.substring(0, p.length() - 2)
                    : p.endsWith("/*") ? p.substring(0, p.length() - 1) : null;
            if (prefix != null ? name.startsWith(prefix) : name.equals(p)) {
                return true;
            }
        }
        return false;
    }
}
