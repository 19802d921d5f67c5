package org.slab4j.internal.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Where option values come from, and the options known in this JVM.
 *
 * <p>Sources, first wins: the arguments given to slab4j's entry point ({@code -javaagent:slab4j-agent.jar=name=value,...}),
 * the system property {@code slab4j.<name>}, the environment variable {@code SLAB4J_<NAME>}. A value that cannot be read
 * is named in one WARN and skipped, so that the next source, or the default, applies. Names under {@code slab4j.} or
 * {@code SLAB4J_} that no declared option has are named in one WARN with the known ones; property names with a further
 * dot ({@code slab4j.it.agent}) are left alone, as another tool's namespace.
 *
 * <p>Each warning is given once per JVM (whoever checks first: the agent at startup, or the global allocator when it
 * is built). Guarded by: {@code DECLARED}, {@code WARNED} are concurrent; {@code arguments} is set once, before use.
 */
public final class Settings {
    private static final Map<String, Option<?>> DECLARED = new ConcurrentHashMap<>();
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
    private static volatile Map<String, String> givenArguments = Map.of();

    private final Map<String, String> arguments;
    private final Properties properties;
    private final Map<String, String> environment;

    /**
     * @param arguments option values given as {@code name=value} arguments
     * @param properties the system properties
     * @param environment the environment variables
     */
    public Settings(Map<String, String> arguments, Properties properties, Map<String, String> environment) {
        this.arguments = Map.copyOf(arguments);
        this.properties = properties;
        this.environment = environment;
    }

    /** @return the settings of this JVM: the arguments given by {@link #setArguments}, properties, environment */
    public static Settings current() {
        return new Settings(givenArguments, System.getProperties(), System.getenv());
    }

    /** Sets the arguments of this JVM's entry point (the agent's), before any option is read. */
    public static void setArguments(Map<String, String> arguments) {
        givenArguments = Map.copyOf(arguments);
    }

    /**
     * Parses {@code name=value} pairs separated by commas; a key without {@code =} means {@code true}.
     *
     * @return the pairs, in order
     */
    public static Map<String, String> parseArguments(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text != null) {
            for (String pair : text.split(",")) {
                int eq = pair.indexOf('=');
                String key = (eq < 0 ? pair : pair.substring(0, eq)).trim();
                if (!key.isEmpty()) {
                    out.put(key, eq < 0 ? "true" : pair.substring(eq + 1).trim());
                }
            }
        }
        return out;
    }

    /** Makes {@code options} known, so that their names are not reported as unknown. */
    public static void declare(Collection<? extends Option<?>> options) {
        for (Option<?> o : options) {
            DECLARED.put(o.name(), o);
        }
    }

    /**
     * @return the value of {@code o} from the first source that gives a readable one, or {@code null} if none does
     * @param warn where a value that cannot be read is named (once per JVM), before it is skipped
     */
    public <T> T value(Option<T> o, Consumer<String> warn) {
        String[][] sources = {
            {arguments.get(o.name()), "agent argument " + o.name()},
            {properties.getProperty(o.property()), "system property " + o.property()},
            {environment.get(o.environmentVariable()), "environment variable " + o.environmentVariable()}
        };
        for (String[] s : sources) {
            if (s[0] != null) {
                try {
                    return o.parse(s[0]);
                } catch (IllegalArgumentException e) {
                    warnOnce(
                            warn,
                            "slab4j: " + s[1] + "=" + s[0] + " ignored: " + e.getMessage()
                                    + "; the next source or the default (" + o.defaultText() + ") applies");
                }
            }
        }
        return null;
    }

    /** @return the names given in any source that no declared option has, each with its source */
    public List<String> unknown() {
        Set<String> envNames = new TreeSet<>();
        for (Option<?> o : DECLARED.values()) {
            envNames.add(o.environmentVariable());
        }
        List<String> out = new ArrayList<>();
        for (String key : new TreeSet<>(arguments.keySet())) {
            if (!DECLARED.containsKey(key)) {
                out.add(key + " (agent argument)");
            }
        }
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            String name = key.substring(Math.min(key.length(), Option.PROPERTY_PREFIX.length()));
            if (key.startsWith(Option.PROPERTY_PREFIX) && name.indexOf('.') < 0 && !DECLARED.containsKey(name)) {
                out.add(key + " (system property)");
            }
        }
        for (String key : new TreeSet<>(environment.keySet())) {
            if (key.startsWith(Option.ENVIRONMENT_PREFIX) && !envNames.contains(key)) {
                out.add(key + " (environment variable)");
            }
        }
        return out;
    }

    /**
     * Reads every declared option and names what cannot be read, and the unknown names, each in one warning (once per
     * JVM).
     */
    public void check(Consumer<String> warn) {
        for (Option<?> o : DECLARED.values()) {
            value(o, warn);
        }
        List<String> unknown = unknown();
        if (!unknown.isEmpty()) {
            warnOnce(
                    warn,
                    "slab4j: unknown option(s) " + unknown + " ignored; known: " + new TreeSet<>(DECLARED.keySet()));
        }
    }

    private static void warnOnce(Consumer<String> warn, String message) {
        if (WARNED.add(message)) {
            warn.accept(message);
        }
    }
}
