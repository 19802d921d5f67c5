package org.slab4j.internal.config;

import java.util.Locale;
import java.util.function.Function;

/**
 * One configuration option: its name (the builder's method name, e.g. {@code reportInterval}), how its text is read,
 * its default and what it does. Given as {@code name=value} in the agent argument, as the system property
 * {@code slab4j.<name>}, or as the environment variable {@code SLAB4J_<NAME>} (camel case split by underscores, e.g.
 * {@code SLAB4J_REPORT_INTERVAL}); see {@link Settings} for the order.
 *
 * @param name the option's name
 * @param parser reads a value; throws {@link IllegalArgumentException} saying what is accepted
 * @param defaultText the default, as the docs print it
 * @param description what the option does, one sentence
 * @param <T> the type of the value
 */
public record Option<T>(String name, Function<String, T> parser, String defaultText, String description) {
    /** The prefix of every option's system property. */
    public static final String PROPERTY_PREFIX = "slab4j.";
    /** The prefix of every option's environment variable. */
    public static final String ENVIRONMENT_PREFIX = "SLAB4J_";

    /** @return {@code slab4j.<name>} */
    public String property() {
        return PROPERTY_PREFIX + name;
    }

    /** @return {@code SLAB4J_<NAME>}: {@code reportInterval} gives {@code SLAB4J_REPORT_INTERVAL} */
    public String environmentVariable() {
        return ENVIRONMENT_PREFIX
                + name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    /**
     * @return the value {@code text} gives
     * @throws IllegalArgumentException naming the option, the text and what is accepted
     */
    public T parse(String text) {
        try {
            return parser.apply(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " " + e.getMessage() + ", not '" + text + "'", e);
        }
    }
}
