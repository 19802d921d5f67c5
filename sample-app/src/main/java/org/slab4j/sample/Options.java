package org.slab4j.sample;

import java.time.Duration;

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

    private static final String KNOWN =
            "the options are --duration, --gateways, --matchers, --nodes, --rate and --help";

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
            String name = args[i];
            if (name.equals("--help") || name.equals("-h")) {
                return null;
            }
            String value = null;
            int equals = name.indexOf('=');
            if (name.startsWith("--") && equals > 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            if (!name.matches("--(duration|gateways|matchers|nodes|rate)")) {
                throw new IllegalArgumentException("unknown option " + name + "; " + KNOWN);
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    String example = name.equals("--duration") ? "15s" : name.equals("--rate") ? "400000" : "2";
                    throw new IllegalArgumentException(
                            name + " needs a value, e.g. " + name + " " + example + " or " + name + "=" + example);
                }
                value = args[++i];
            }
            switch (name) {
                case "--duration" -> duration = duration(name, value);
                case "--gateways" -> gateways = atLeastOne(name, value);
                case "--matchers" -> matchers = atLeastOne(name, value);
                case "--nodes" -> nodes = atLeastOne(name, value);
                default -> rate = rate(name, value);
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

    private static int atLeastOne(String option, String v) {
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
