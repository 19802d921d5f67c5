package org.slab4j.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.slab4j.internal.config.GlobalOptions;
import org.slab4j.internal.config.Kind;
import org.slab4j.internal.config.Option;
import org.slab4j.internal.config.Settings;

/**
 * The agent's own options. The agent argument ({@code key=value} pairs separated by commas after the jar in
 * {@code -javaagent}) may also give any option of the global allocator ({@code report}, {@code nodes}, ...): all are
 * read by the runtime's {@link Settings}, which also takes each from the system property {@code slab4j.<key>} or the
 * environment variable {@code SLAB4J_<KEY>} (the agent argument wins, then the property). At startup every source is
 * checked once: a value that cannot be read is named in one warning and ignored, and so are unknown names.
 *
 * @param sites whether {@code new} expressions are rewritten to attribute allocations to their site
 * @param include class-name patterns to instrument (all if empty), with slashes
 * @param exclude class-name patterns never instrumented, with slashes
 */
record AgentOptions(boolean sites, List<String> include, List<String> exclude) {
    static final Option<Boolean> SITES = Option.of(
            "sites", Kind.BOOLEAN, "true", "attribute allocations to their new expressions (allocation sites)");
    static final Option<List<String>> INCLUDE = Option.of(
            "include",
            Kind.LIST,
            "all classes",
            "class names (a.b.C) or packages (a.b.*) to instrument, separated by ':'");
    static final Option<List<String>> EXCLUDE =
            Option.of("exclude", Kind.LIST, "none", "class names or packages never instrumented, separated by ':'");

    /**
     * Reads and checks the options, warning about what cannot be read or is unknown.
     *
     * @param agentArgs the text after {@code =} in {@code -javaagent}, or {@code null}
     * @param system the system properties
     * @param environment the environment variables
     * @return the agent's options; the arguments themselves are left for {@link Settings#setArguments}
     */
    static AgentOptions parse(String agentArgs, Properties system, Map<String, String> environment) {
        Settings.declare(List.of(SITES, INCLUDE, EXCLUDE));
        Settings.declare(GlobalOptions.options());
        Settings settings = new Settings(Settings.parseArguments(agentArgs), system, environment);
        Consumer<String> warn = new Consumer<>() { // not a lambda: premain loads no more than it must
                    @Override
                    public void accept(String message) {
                        AgentLog.warn(message);
                    }
                };
        settings.check(warn);
        Settings.checkArguments(agentArgs, warn);
        Boolean sites = settings.value(SITES, warn);
        return new AgentOptions(
                sites == null || sites, slashes(settings.value(INCLUDE, warn)), slashes(settings.value(EXCLUDE, warn)));
    }

    private static List<String> slashes(List<String> patterns) {
        List<String> out = new ArrayList<>();
        if (patterns != null) {
            for (String p : patterns) {
                out.add(p.replace('.', '/'));
            }
        }
        return List.copyOf(out);
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
