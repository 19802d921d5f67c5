package org.slab4j.sample;

import java.time.Duration;
import java.util.List;

/**
 * The command line: {@code --book 1000000 --duration 6s --warmup 2s --phases 3 --gateways 1 --matchers 1 --nodes 2
 * --rate 100000}, each value after a space or an equals sign ({@code --duration=6s}).
 *
 * @param book resting orders each phase fills its book with and keeps it at
 * @param duration measured time of each phase, after the fill and the warm-up
 * @param warmup time of each phase's order flow before it is measured
 * @param phases phases, alternately with slab and heap orders, slabs first: 3 runs slabs / heap / slabs
 * @param gateways gateway threads creating orders
 * @param matchers matcher threads matching them
 * @param nodes memory nodes of the global allocator
 * @param rate orders and cancels per second over all gateways (0: as fast as they can)
 */
record Options(
        long book, Duration duration, Duration warmup, int phases, int gateways, int matchers, int nodes, long rate) {
    static final String USAGE = """
            usage: java -javaagent:agent/target/slab4j-agent.jar -jar sample-app/target/slab4j-sample-app.jar [options]
              --book N       resting orders in the book, filled before and kept during each phase (default 1000000)
              --duration D   measured time of each phase, e.g. 6s, 500ms, 1m (default 6s)
              --warmup D     order flow before each phase is measured (default 2s)
              --phases N     phases, alternately slab and heap orders, slabs first (default 3: slabs/heap/slabs)
              --gateways N   gateway threads creating orders (default 1)
              --matchers N   matcher threads matching them into trades (default 1)
              --nodes N      memory nodes of the slab allocator (default 2)
              --rate R       orders and cancels per second over all gateways, 0 for as fast as possible
                             (default 100000)
              --help         this text
            Each value may also follow an equals sign: --duration=6s.
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
        long book = 1_000_000;
        Duration duration = Duration.ofSeconds(6);
        Duration warmup = Duration.ofSeconds(2);
        int phases = 3;
        int gateways = 1;
        int matchers = 1;
        int nodes = 2;
        long rate = 100_000;
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
                case "--book" -> book = positive(a, v);
                case "--duration" -> duration = duration(a, v);
                case "--warmup" -> warmup = duration(a, v);
                case "--phases" -> phases = positive(a, v);
                case "--gateways" -> gateways = positive(a, v);
                case "--matchers" -> matchers = positive(a, v);
                case "--nodes" -> nodes = nodes(a, v);
                case "--rate" -> rate = rate(a, v);
                default -> throw new IllegalArgumentException(a + " takes no value");
            }
        }
        if (phases < 2) {
            throw new IllegalArgumentException(
                    "--phases must be at least 2 (one with slabs, one on the heap), not " + phases);
        }
        if (rate > 0 && rate < gateways) { // each gateway sends rate / gateways a second; 0 would mean unpaced
            throw new IllegalArgumentException(
                    "--rate must be 0 or at least 1 per gateway (" + gateways + "), not " + rate);
        }
        if (rate / gateways
                > 1_000_000_000L) { // a period of 1_000_000_000 / (rate / gateways) ns: 0 would mean unpaced
            throw new IllegalArgumentException(
                    "--rate must be at most 1000000000 per gateway (" + gateways + "), not " + rate);
        }
        return new Options(book, duration, warmup, phases, gateways, matchers, nodes, rate);
    }

    private static int nodes(String option, String v) {
        int n = positive(option, v);
        if (n > 64) { // the slab4j.nodes option's range
            throw new IllegalArgumentException(option + " must be at most 64, not " + n);
        }
        return n;
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
            d.toNanos(); // the engine sleeps in nanoseconds: a longer one would throw only after the fill and warm-up
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + v + "' is not a duration such as 15s, 500ms or 1m");
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(option + ": '" + v + "' is too long (at most 292 years)");
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(option + " must be more than 0, not " + v);
        }
        return d;
    }
}
