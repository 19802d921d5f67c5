package org.slab4j.internal.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slab4j.SlabFlag;

/**
 * Where option values come from, and the options known in this JVM.
 *
 * <p>Sources, first wins: the arguments given to slab4j's entry point ({@code -javaagent:slab4j-agent.jar=name=value,...}),
 * the system property {@code slab4j.<name>}, the environment variable {@code SLAB4J_<NAME>}. A value that cannot be read
 * is named in one WARN and skipped, so that the next source, or the default, applies. Names under {@code slab4j.} or
 * {@code SLAB4J_} that no declared option has are named in one WARN with the known ones, and with the option they spell
 * in another case or with other separators; property names with a further dot ({@code slab4j.it.agent}) are left
 * alone, as another tool's namespace, unless they spell an option ({@code slab4j.report.interval}).
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

    /** One comma-separated entry of an agent argument: its text, its key (maybe empty) and its value. */
    private record Pair(String text, String key, String value) {}

    /** @return the entries of {@code text}, in order; a key without {@code =} has the value {@code true} */
    private static List<Pair> pairs(String text) {
        List<Pair> out = new ArrayList<>();
        if (text != null) {
            for (String pair : text.split(",")) {
                int eq = pair.indexOf('=');
                String key = (eq < 0 ? pair : pair.substring(0, eq)).trim();
                out.add(new Pair(
                        pair.trim(),
                        key,
                        eq < 0 ? "true" : pair.substring(eq + 1).trim()));
            }
        }
        return out;
    }

    /**
     * Parses {@code name=value} pairs separated by commas; a key without {@code =} means {@code true}, and the last of
     * a key given twice applies ({@link #checkArguments} warns about both).
     *
     * @return the pairs, in order
     */
    public static Map<String, String> parseArguments(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Pair p : pairs(text)) {
            if (!p.key().isEmpty()) {
                out.put(p.key(), p.value());
            }
        }
        return out;
    }

    /**
     * Names, each in one warning (once per JVM), a key that {@code text} gives more than once (the last applies) and an
     * entry with a value but no name; empty entries ({@code a=1,,b=2}) are left alone.
     */
    public static void checkArguments(String text, Consumer<String> warn) {
        Map<String, List<Pair>> byKey = new LinkedHashMap<>();
        for (Pair p : pairs(text)) {
            if (!p.key().isEmpty()) {
                List<Pair> given = byKey.get(p.key()); // no lambda: the agent's premain calls this
                if (given == null) {
                    given = new ArrayList<>();
                    byKey.put(p.key(), given);
                }
                given.add(p);
            } else if (!p.text().isEmpty()) {
                warnOnce(warn, "slab4j: agent argument '" + p.text() + "' has no name before its '='; ignored");
            }
        }
        for (List<Pair> given : byKey.values()) {
            if (given.size() > 1) {
                Pair last = given.get(given.size() - 1);
                warnOnce(
                        warn,
                        "slab4j: agent argument " + last.key() + " is given " + given.size() + " times; the" + " last, "
                                + last.text() + ", applies");
            }
        }
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
        String property = o.property();
        String variable = o.environmentVariable();
        String[] texts = {arguments.get(o.name()), properties.getProperty(property), environment.get(variable)};
        for (int i = 0; i < texts.length; i++) {
            if (texts[i] != null) {
                try {
                    return o.parse(texts[i]);
                } catch (IllegalArgumentException e) {
                    String source = i == 0
                            ? "agent argument " + o.name()
                            : i == 1 ? "system property " + property : "environment variable " + variable;
                    warnOnce(
                            warn,
                            "slab4j: " + source + "=" + texts[i] + " ignored: " + e.getMessage()
                                    + "; the next source or the default (" + o.defaultText() + ") applies");
                }
            }
        }
        return null;
    }

    /**
     * @return the names given in any source that no declared option has, each with its source and, where it spells an
     *     option in another case or with other separators ({@code SLAB4J_REPORTINTERVAL},
     *     {@code slab4j.report.interval}, {@code Report}), that option's name as the source spells it; by source and
     *     name
     */
    public List<String> unknown() {
        Set<String> envNames = new HashSet<>();
        for (Option<?> o : DECLARED.values()) {
            envNames.add(o.environmentVariable());
        }
        List<String> out = new ArrayList<>();
        List<String> found = new ArrayList<>();
        for (String key : arguments.keySet()) {
            if (!DECLARED.containsKey(key)) {
                found.add(key + " (agent argument" + argumentHint(key) + ")");
            }
        }
        addSorted(out, found);
        for (String key : properties.stringPropertyNames()) {
            String name = key.substring(Math.min(key.length(), Option.PROPERTY_PREFIX.length()));
            if (key.startsWith(Option.PROPERTY_PREFIX) && !DECLARED.containsKey(name)) {
                Option<?> meant = spelledOtherwise(name);
                if (meant != null) {
                    found.add(key + " (system property: did you mean " + meant.property() + "?)");
                } else if (name.indexOf('.') < 0) {
                    found.add(key + " (system property)");
                }
            }
        }
        addSorted(out, found);
        for (String key : environment.keySet()) {
            if (key.startsWith(Option.ENVIRONMENT_PREFIX) && !envNames.contains(key)) {
                Option<?> meant = spelledOtherwise(key.substring(Option.ENVIRONMENT_PREFIX.length()));
                found.add(key + " (environment variable"
                        + (meant != null ? ": did you mean " + meant.environmentVariable() + "?)" : ")"));
            }
        }
        addSorted(out, found);
        return out;
    }

    /** @return the declared option that {@code name} spells in another case or with '.', '_' or '-' between words */
    private static Option<?> spelledOtherwise(String name) {
        String plain = plain(name);
        for (Option<?> o : DECLARED.values()) {
            if (plain(o.name()).equals(plain)) {
                return o;
            }
        }
        return null;
    }

    private static String plain(String name) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '.' && c != '_' && c != '-') {
                sb.append(Character.toLowerCase(c));
            }
        }
        return sb.toString();
    }

    /**
     * @return what an unknown agent argument {@code key} may have meant: an option it spells otherwise, or, for a flag
     *     name (what a comma inside {@code debug=POISON,RED_ZONE} leaves as a key), the list separator; else nothing
     */
    private static String argumentHint(String key) {
        Option<?> meant = spelledOtherwise(key);
        if (meant != null) {
            return ": did you mean " + meant.name() + "?";
        }
        for (SlabFlag f : SlabFlag.values()) {
            if (f.name().equalsIgnoreCase(key)) {
                return ": debug flags in the agent argument are separated by ':', as in debug=POISON:RED_ZONE";
            }
        }
        return "";
    }

    /** Moves {@code from}, sorted, to the end of {@code to}. */
    private static void addSorted(List<String> to, List<String> from) {
        from.sort(null);
        to.addAll(from);
        from.clear();
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
            List<String> known = new ArrayList<>(DECLARED.keySet());
            known.sort(null);
            warnOnce(warn, "slab4j: unknown option(s) " + unknown + " ignored; known: " + known);
        }
    }

    private static void warnOnce(Consumer<String> warn, String message) {
        if (WARNED.add(message)) {
            warn.accept(message);
        }
    }
}
