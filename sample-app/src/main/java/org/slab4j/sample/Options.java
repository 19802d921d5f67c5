package org.slab4j.sample;

import java.time.Duration;

/**
 * The command line: {@code --duration 15s --gateways 2 --matchers 2 --nodes 2 --rate 400000}.
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
            """;

    /** @return the parsed options, or {@code null} when {@code --help} was asked for */
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
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--duration" -> duration = duration(v);
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
        return new Options(duration, gateways, matchers, nodes, rate);
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
