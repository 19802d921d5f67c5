package org.slab4j.internal.config;

/**
 * One configuration option: its name (the builder's method name, e.g. {@code reportInterval}), the kind of its value,
 * its default and what it does. Given as {@code name=value} in the agent argument, as the system property
 * {@code slab4j.<name>}, or as the environment variable {@code SLAB4J_<NAME>} (camel case split by underscores, e.g.
 * {@code SLAB4J_REPORT_INTERVAL}); see {@link Settings} for the order.
 *
 * @param name the option's name
 * @param kind how its text is read
 * @param min the least value of an {@link Kind#INT} or {@link Kind#POWER_OF_TWO} option
 * @param max the greatest value of an {@link Kind#INT} or {@link Kind#POWER_OF_TWO} option
 * @param defaultText the default, as the docs print it
 * @param description what the option does, one sentence
 * @param <T> the type of the value: as {@code kind} gives it
 */
public record Option<T>(String name, Kind kind, int min, int max, String defaultText, String description) {
    /** The prefix of every option's system property. */
    public static final String PROPERTY_PREFIX = "slab4j.";
    /** The prefix of every option's environment variable. */
    public static final String ENVIRONMENT_PREFIX = "SLAB4J_";

    /** @return an option whose value is of {@code kind} (not {@link Kind#INT}), typed by the caller */
    public static <T> Option<T> of(String name, Kind kind, String defaultText, String description) {
        return new Option<>(name, kind, 0, 0, defaultText, description);
    }

    /** @return an {@link Kind#INT} option from {@code min} to {@code max} */
    public static Option<Integer> integer(String name, int min, int max, String defaultText, String description) {
        return new Option<>(name, Kind.INT, min, max, defaultText, description);
    }

    /** @return a {@link Kind#POWER_OF_TWO} option from {@code min} to {@code max} */
    public static Option<Integer> powerOfTwo(String name, int min, int max, String defaultText, String description) {
        return new Option<>(name, Kind.POWER_OF_TWO, min, max, defaultText, description);
    }

    /** @return {@code slab4j.<name>} */
    public String property() {
        return PROPERTY_PREFIX.concat(name); // not +: no invokedynamic bootstrap in the agent's premain
    }

    /** @return {@code SLAB4J_<NAME>}: {@code reportInterval} gives {@code SLAB4J_REPORT_INTERVAL} */
    public String environmentVariable() {
        StringBuilder sb = new StringBuilder(ENVIRONMENT_PREFIX);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                sb.append('_');
            }
            sb.append(Character.toUpperCase(c));
        }
        return sb.toString();
    }

    /**
     * @return the value {@code text} gives
     * @throws IllegalArgumentException naming the option, the text and what is accepted
     */
    @SuppressWarnings("unchecked") // the kind gives the type the factory promised
    public T parse(String text) {
        try {
            return (T) kind.parse(text.trim(), min, max);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " " + e.getMessage() + ", not '" + text + "'", e);
        }
    }
}
