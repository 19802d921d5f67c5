package org.slab4j.internal.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The readers of option values, one syntax per kind for every option. Each throws {@link IllegalArgumentException}
 * whose message completes "{@code <option> <message>, not '<text>'}" (for example "must be true or false").
 */
public final class Values {
    private Values() {}

    /** {@code true} or {@code false}, in any case; anything else is an error rather than {@code false}. */
    public static final Function<String, Boolean> BOOLEAN = v -> {
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new IllegalArgumentException("must be true or false");
    };

    /** A whole number. */
    public static final Function<String, Long> LONG = v -> {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a whole number");
        }
    };

    /** Any text. */
    public static final Function<String, String> TEXT = v -> v;

    /**
     * A duration: {@code 0}, or a whole number with a unit: {@code ms}, {@code s}, {@code m} or {@code h}
     * ({@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}); not negative.
     */
    public static final Function<String, Duration> DURATION = v -> {
        String t = v.toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (t.equals("0")) {
                d = Duration.ZERO;
            } else if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            } else if (t.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            } else if (t.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
            } else {
                d = null;
            }
            if (d != null && !d.isNegative()) {
                return d;
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // not a number, or more than a Duration holds: the error below
        }
        throw new IllegalArgumentException("must be 0 or a duration such as 500ms, 10s, 5m or 1h");
    };

    /** A byte count: a whole number, optionally with {@code k}, {@code m} or {@code g} (binary: 1k = 1024). */
    public static final Function<String, Long> BYTES = v -> {
        String t = v.toLowerCase(Locale.ROOT);
        int shift = t.endsWith("k") ? 10 : t.endsWith("m") ? 20 : t.endsWith("g") ? 30 : 0;
        try {
            long n = Long.parseLong(shift == 0 ? t : t.substring(0, t.length() - 1));
            if (n >= 0 && n <= Long.MAX_VALUE >> shift) {
                return n << shift;
            }
        } catch (NumberFormatException e) {
            // the error below
        }
        throw new IllegalArgumentException("must be a number of bytes such as 1073741824, 512m or 1g");
    };

    /** @return a reader of whole numbers from {@code min} to {@code max} */
    public static Function<String, Integer> integer(int min, int max) {
        return v -> {
            try {
                int n = Integer.parseInt(v);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // the error below
            }
            throw new IllegalArgumentException("must be a whole number from " + min + " to " + max);
        };
    }

    /** @return a reader of lists separated by {@code ':'}, blanks dropped */
    public static Function<String, List<String>> list() {
        return v -> {
            List<String> out = new ArrayList<>();
            for (String p : v.split(":")) {
                if (!p.isBlank()) {
                    out.add(p.trim());
                }
            }
            return List.copyOf(out);
        };
    }
}
