package org.slab4j.internal.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slab4j.SlabFlag;

/**
 * The kinds of option values, one syntax each for every option. A plain switch rather than a lambda per kind: the agent
 * reads options in {@code premain}, where every class it loads delays the application's start.
 */
public enum Kind {
    /** {@code true} or {@code false}, in any case; anything else is an error rather than {@code false}. */
    BOOLEAN,
    /** A whole number (a {@code long}). */
    LONG,
    /** A whole number from the option's {@code min} to {@code max} (an {@code int}). */
    INT,
    /** A power of two from the option's {@code min} to {@code max} (an {@code int}). */
    POWER_OF_TWO,
    /**
     * A duration: {@code 0}, or a whole number with a unit {@code ms}, {@code s}, {@code m} or {@code h}
     * ({@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}); not negative.
     */
    DURATION,
    /** A byte count: a whole number, optionally with {@code k}, {@code m} or {@code g} (binary: 1k = 1024). */
    BYTES,
    /**
     * Class names ({@code a.b.C}) or packages ({@code a.b.*}, or {@code a.b.**}) separated by {@code ':'}, blanks
     * dropped; a {@code '*'} anywhere else is an error, since no class name holds one.
     */
    LIST,
    /**
     * The kernel's {@code slab_debug} letters ({@code P} poison, {@code Z} red zone, {@code U} store user, e.g.
     * {@code PZU}), or a list of {@link SlabFlag} names separated by {@code ':'} (or commas, outside an agent argument).
     */
    DEBUG_FLAGS,
    /** Which instances of {@code SAMPLED} types are watched for leaks: {@code sample}, {@code all} or {@code off}. */
    LEAK_MODE,
    /** {@code off} (or {@code 0}), {@code exit}, or a duration: a {@link ReportMode}. */
    REPORT_MODE;

    /** What {@code report} sets: the periodic interval (zero for none) and whether to report at exit. */
    public record ReportMode(Duration interval, boolean atExit) {}

    /**
     * @param v the text, trimmed
     * @return its value
     * @throws IllegalArgumentException whose message completes "{@code <option> <message>, not '<text>'}"
     */
    Object parse(String v, int min, int max) {
        return switch (this) {
            case BOOLEAN -> {
                if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                    yield Boolean.parseBoolean(v);
                }
                throw new IllegalArgumentException("must be true or false");
            }
            case LONG -> {
                try {
                    yield Long.parseLong(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("must be a whole number");
                }
            }
            case INT -> {
                try {
                    int n = Integer.parseInt(v);
                    if (n >= min && n <= max) {
                        yield n;
                    }
                } catch (NumberFormatException e) {
                    // the error below
                }
                throw new IllegalArgumentException("must be a whole number from " + min + " to " + max);
            }
            case POWER_OF_TWO -> {
                try {
                    int n = Integer.parseInt(v);
                    if (n >= min && n <= max && Integer.bitCount(n) == 1) {
                        yield n;
                    }
                } catch (NumberFormatException e) {
                    // the error below
                }
                throw new IllegalArgumentException("must be a power of two from " + min + " to " + max);
            }
            case DURATION -> duration(v);
            case BYTES -> bytes(v);
            case LIST -> list(v);
            case DEBUG_FLAGS -> debugFlags(v);
            case REPORT_MODE -> reportMode(v);
            case LEAK_MODE -> {
                String mode = v.toLowerCase(Locale.ROOT);
                if (mode.equals("sample") || mode.equals("all") || mode.equals("off")) {
                    yield mode;
                }
                throw new IllegalArgumentException("must be sample, all or off");
            }
        };
    }

    private static Duration duration(String v) {
        String t = v.toLowerCase(Locale.ROOT);
        try {
            Duration d = null;
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
            }
            if (d != null && !d.isNegative()) {
                return d;
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // not a number, or more than a Duration holds: the error below
        }
        throw new IllegalArgumentException("must be 0 or a duration such as 500ms, 10s, 5m or 1h");
    }

    private static long bytes(String v) {
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
    }

    private static List<String> list(String v) {
        List<String> out = new ArrayList<>();
        for (String p : v.split(":")) {
            String entry = p.trim();
            if (entry.isEmpty()) {
                continue;
            }
            String dotted = entry.replace('/', '.'); // the agent matches internal names: a.b/* works too
            String name = dotted.endsWith(".**")
                    ? dotted.substring(0, dotted.length() - 3)
                    : dotted.endsWith(".*") ? dotted.substring(0, dotted.length() - 2) : dotted;
            if (name.isEmpty() || name.indexOf('*') >= 0) { // it would match no class, silently
                throw new IllegalArgumentException("must be class names (a.b.C) or packages (a.b.*), separated by ':';"
                        + " a '*' may only end a package, as in a.b.* (in '" + entry + "')");
            }
            out.add(entry);
        }
        return List.copyOf(out);
    }

    private static Set<SlabFlag> debugFlags(String v) {
        Set<SlabFlag> flags = EnumSet.noneOf(SlabFlag.class);
        String t = v.toUpperCase(Locale.ROOT);
        if (!t.isEmpty() && t.replace("P", "").replace("Z", "").replace("U", "").isEmpty()) {
            for (char c : t.toCharArray()) {
                flags.add(c == 'P' ? SlabFlag.POISON : c == 'Z' ? SlabFlag.RED_ZONE : SlabFlag.STORE_USER);
            }
            return flags;
        }
        for (String name : t.split("[:,]")) { // ":" as in every list; "," outside an agent argument too
            if (!name.isBlank()) {
                try {
                    flags.add(SlabFlag.valueOf(name.trim()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("must be slab_debug letters P, Z, U, or names of "
                            + EnumSet.allOf(SlabFlag.class) + " separated by ':' (unknown flag '" + name.trim()
                            + "')");
                }
            }
        }
        return flags;
    }

    private static ReportMode reportMode(String v) {
        switch (v.toLowerCase(Locale.ROOT)) {
            case "off", "0" -> {
                return new ReportMode(Duration.ZERO, false);
            }
            case "exit" -> {
                return new ReportMode(Duration.ZERO, true);
            }
            default -> {
                try {
                    return new ReportMode(duration(v), true);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("must be off, exit, or a duration such as 500ms, 10s, 5m or 1h");
                }
            }
        }
    }
}
