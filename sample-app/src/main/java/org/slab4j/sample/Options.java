package org.slab4j.sample;

import java.time.Duration;
import java.util.List;

/**
 * The command line: {@code --duration 15s --gateways 2 --matchers 2 --nodes 2 --rate 400000}, each value after a space
 * or an equals sign ({@code --duration=15s}).
 *
 * @param duration how long the whole run takes, both phases together
 * @param gateways gateway threads creating orders
 * @param matchers matcher threads matching them
 * @param nodes memory nodes of the global allocator
 * @param rate orders per second over all gateways (0: as fast as they can)
 */
record Options(Duration duration, int gateways, int matchers, int nodes, long rate) {
    static final String USAGE = """
            usage: java -javaagent:agent/target/slab4j-agent.jar -jar sample-app/target/slab4j-sample-app.jar [options]
              --duration D   run time of both phases together, e.g. 15s, 500ms, 1m (default 15s)
              --gateways N   gateway threads creating orders (default 2)
              --matchers N   matcher threads matching them into trades (default 2)
              --nodes N      memory nodes of the slab allocator (default 2)
              --rate R       orders per second over all gateways, 0 for as fast as possible (default 400000)
              --help         this text
            Each value may also follow an equals sign: --duration=15s.
            """;

    /** The options that {@link #USAGE} lists, in its order. */
    private static final List<String> KNOWN = USAGE.lines()
            .map(String::strip)
            .filter(line -> line.startsWith("--"))
            .map(line -> line.split(" ")[0])
            .toList();

    /**
     * Parses {@code --name value} and {@code --name=value}.
     *
     * @return the parsed options, or {@code null} when {@code --help} was asked for
     * @throws IllegalArgumentException naming the option and the value when an option is unknown, lacks its value or
     *     has a value out of its range
     */
    static Options parse(String... args) {
        Duration duration = Duration.ofSeconds(15);
        int gateways = 2;
        int matchers = 2;
        int nodes = 2;
        long rate = 400_000;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                return null;
            }
            String v = null;
            int equals = a.indexOf('=');
            if (a.startsWith("--") && equals > 0) {
                v = a.substring(equals + 1);
                a = a.substring(0, equals);
            }
            if (!KNOWN.contains(a)) {
                throw new IllegalArgumentException(
                        "unknown option " + a + "; the options are " + String.join(", ", KNOWN));
            }
            if (v == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value: " + a + " <value> or " + a + "=<value>");
                }
                v = args[++i];
            }
            switch (a) {
                case "--duration" -> duration = duration(a, v);
                case "--gateways" -> gateways = positive(a, v);
                case "--matchers" -> matchers = positive(a, v);
                case "--nodes" -> nodes = positive(a, v);
                case "--rate" -> rate = rate(a, v);
                default -> throw new IllegalArgumentException(a + " takes no value");
            }
        }
        return new Options(duration, gateways, matchers, nodes, rate);
    }

    private static long number(String option, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + v + "' is not a whole number");
        }
    }

    private static int positive(String option, String v) {
        long n = number(option, v);
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    option + " must be " + (n < 1 ? "at least 1" : "at most " + Integer.MAX_VALUE) + ", not " + n);
        }
        return (int) n;
    }

    private static long rate(String option, String v) {
        long n = number(option, v);
        if (n < 0) {
            throw new IllegalArgumentException(option + " must be 0 or more, not " + n);
        }
        return n;
    }

    private static Duration duration(String option, String v) {
        Duration d;
        try {
            if (v.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            } else if (v.endsWith("s")) {
                d = Duration.ofMillis((long) (Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            } else if (v.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            } else {
                d = Duration.ofSeconds(Long.parseLong(v));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + v + "' is not a duration such as 15s, 500ms or 1m");
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(option + " must be more than 0, not " + v);
        }
        return d;
    }
}
