package org.slab4j.sample;

import java.time.Duration;

/**
 * The command line: {@code --book 1000000 --duration 6s --warmup 2s --phases 3 --rate 100000 --gateways 1
 * --matchers 1 --nodes 2}.
 *
 * @param book resting orders each phase fills its book with and keeps it at
 * @param duration measured time of each phase, after the fill and the warm-up
 * @param warmup time of each phase's order flow before it is measured
 * @param phases phases, alternately with slab and heap payloads, slabs first: 3 runs slabs / heap / slabs
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
              --phases N     phases, alternately slab and heap payloads, slabs first (default 3: slabs/heap/slabs)
              --gateways N   gateway threads creating orders (default 1)
              --matchers N   matcher threads matching them into trades (default 1)
              --nodes N      memory nodes of the slab allocator (default 2)
              --rate R       orders and cancels per second over all gateways, 0 for as fast as possible
                             (default 100000)
              --help         this text
            """;

    /** @return the parsed options, or {@code null} when {@code --help} was asked for */
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
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--book" -> book = positive(a, v);
                case "--duration" -> duration = duration(v);
                case "--warmup" -> warmup = duration(v);
                case "--phases" -> phases = positive(a, v);
                case "--gateways" -> gateways = positive(a, v);
                case "--matchers" -> matchers = positive(a, v);
                case "--nodes" -> nodes = positive(a, v);
                case "--rate" -> rate = Long.parseLong(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (rate < 0) {
            throw new IllegalArgumentException("--rate must be 0 or positive, not " + rate);
        }
        if (phases < 2) {
            throw new IllegalArgumentException(
                    "--phases must be at least 2 (one with slabs, one on the heap), not " + phases);
        }
        return new Options(book, duration, warmup, phases, gateways, matchers, nodes, rate);
    }

    private static int positive(String option, String v) {
        int n = Integer.parseInt(v);
        if (n < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, not " + n);
        }
        return n;
    }

    private static Duration duration(String v) {
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s")) {
            return Duration.ofMillis((long) (Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
        }
        if (v.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
        }
        return Duration.ofSeconds(Long.parseLong(v));
    }
}
