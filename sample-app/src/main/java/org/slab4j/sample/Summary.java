package org.slab4j.sample;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;

/**
 * The run in a few lines a person reads in ten seconds: one line per phase, then slabs against the heap on the
 * targets, each difference weighed against the noise (how far apart phases of the same kind came out).
 */
record Summary(Options options, List<Summary.Phase> phases, Main.Burst burst, long leaks, String leakSite) {

    /**
     * One phase, weighed at its end with the book still full.
     *
     * @param number 1, 2, ... in the order run
     * @param result what the engine did
     * @param gcBefore the collector's pauses while the book filled and the flow warmed up
     * @param gc the collector's pauses while the flow was measured
     * @param heapAfterGc heap in use after a full collection
     * @param slabBytes bytes of all slabs of all caches (off the heap)
     * @param hgrm the file holding the phase's latency distribution
     */
    record Phase(
            int number,
            Engine.Result result,
            GcWatch.Stats gcBefore,
            GcWatch.Stats gc,
            long heapAfterGc,
            long slabBytes,
            Path hgrm) {
        String name() {
            return number + " " + (result.slab() ? "slabs" : "heap");
        }

        double rate(Options options) {
            return result.messages() / (options.duration().toNanos() / 1e9);
        }

        double percentile(double p) {
            return result.latency().getValueAtPercentile(p);
        }

        @Override
        public String toString() {
            return String.format(
                    "phase %s: book filled in %,d ms (GC during fill and warm-up: %d pauses, %d ms, longest %d ms);"
                            + " measured: latency p50 %s, p99 %s, p99.9 %s, p99.99 %s, max %s;"
                            + " GC %d pauses, %d ms, longest %d ms; heap after GC %s, slabs %s;"
                            + " CPU per message: gateways %.2f us, matchers %.2f us",
                    name(),
                    result.fillMillis(),
                    gcBefore.count(),
                    gcBefore.totalMillis(),
                    gcBefore.longestMillis(),
                    micros(percentile(50)),
                    micros(percentile(99)),
                    micros(percentile(99.9)),
                    micros(percentile(99.99)),
                    micros(result.latency().getMaxValue()),
                    gc.count(),
                    gc.totalMillis(),
                    gc.longestMillis(),
                    mib(heapAfterGc),
                    mib(slabBytes),
                    result.gatewayNanos() / 1000.0 / Math.max(1, result.sent()),
                    result.matcherNanos() / 1000.0 / Math.max(1, result.sent()));
        }
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(
                "%n=== slab4j sample: summary ===%n"
                        + "each phase: a book of %,d resting orders (%d bytes each), then %,d orders and cancels/s:"
                        + " %s s warm-up, %s s measured%n",
                options.book(),
                Resting.SIZE,
                options.rate(),
                seconds(options.warmup().toMillis()),
                seconds(options.duration().toMillis())));
        s.append(String.format(
                "%-9s %9s %9s %9s %9s %9s %9s | %9s %9s %9s | %13s %11s%n",
                "phase",
                "orders/s",
                "p50",
                "p99",
                "p99.9",
                "p99.99",
                "max",
                "GC pauses",
                "GC total",
                "longest",
                "heap after GC",
                "in slabs"));
        for (Phase p : phases) {
            s.append(String.format(
                    "%-9s %,9.0f %9s %9s %9s %9s %9s | %9d %6d ms %6d ms | %13s %11s%n",
                    p.name(),
                    p.rate(options),
                    micros(p.percentile(50)),
                    micros(p.percentile(99)),
                    micros(p.percentile(99.9)),
                    micros(p.percentile(99.99)),
                    micros(p.result().latency().getMaxValue()),
                    p.gc().count(),
                    p.gc().totalMillis(),
                    p.gc().longestMillis(),
                    mib(p.heapAfterGc()),
                    mib(p.slabBytes())));
        }
        s.append("slabs vs heap (mean of each kind; noise: the larger spread between phases of one kind):%n"
                .formatted());
        Comparison pause = compare(
                "longest GC pause",
                p -> p.gc().longestMillis(),
                v -> String.format("%.0f ms", v),
                1.0 / 3,
                "at most 1/3");
        s.append(pause.line());
        s.append(compare("heap after GC", Phase::heapAfterGc, v -> mib((long) v), 0.5, "at most 0.5x")
                .line());
        Comparison tail = compare("p99.9 latency", p -> p.percentile(99.9), Summary::micros, 1.0, "no worse");
        s.append(tail.line());
        s.append(compare("p99 latency", p -> p.percentile(99), Summary::micros, Double.NaN, "")
                .line());
        s.append(compare("p50 latency", p -> p.percentile(50), Summary::micros, Double.NaN, "")
                .line());
        s.append(compare("GC total", p -> p.gc().totalMillis(), v -> String.format("%.0f ms", v), Double.NaN, "")
                .line());
        s.append(compare(
                        "matcher CPU/msg",
                        p -> (double) p.result().matcherNanos()
                                / Math.max(1, p.result().sent()),
                        v -> String.format("%.2f us", v / 1000),
                        Double.NaN,
                        "")
                .line());
        List<String> why = new ArrayList<>();
        if (!pause.met()) {
            why.add("G1 sizes its young generation to its pause goal in both kinds of phase, so the slab phases pause"
                    + " less often, not for less time");
        }
        if (!tail.met()) {
            why.add("the tail is a pause plus the catch-up after it, slower at more CPU per message");
        }
        if (!why.isEmpty()) {
            s.append(String.format(
                    "why the %s not reached here: %s (docs/sample-app.md#targets)%n",
                    pause.met()
                            ? "p99.9 target is"
                            : tail.met() ? "GC pause target is" : "GC pause and p99.9 targets are",
                    String.join("; and ", why)));
        }
        for (Phase p : phases) {
            if (p.result().unsent() > 0) {
                s.append(String.format(
                        "phase %s: the gateways fell behind their schedule and never sent %,d of the measured"
                                + " messages (left out of its latencies): this machine was too busy for --rate %d%n",
                        p.name(), p.result().unsent(), options.rate()));
            }
        }
        long trades = 0;
        long stamped = 0;
        long snapshots = 0;
        for (Phase p : phases) {
            if (p.result().slab()) {
                trades += p.result().trades();
                stamped += p.result().stampedTrades();
                snapshots += p.result().snapshots();
            }
        }
        s.append(String.format(
                "with slabs: %,d trades (%,d stamped by the trade cache's constructor), %,d snapshots%n"
                        + "burst of 200,000 quotes after the phases: slabs held %s -> %s, %s after the frees, %s"
                        + " %.1f s later (the reaper)%n"
                        + "leak report: %d snapshots reclaimed after GC without a free, allocated at %s%n"
                        + "latency distributions (ms, for HdrHistogram's plotter): %s%n",
                trades,
                stamped,
                snapshots,
                mib(burst.before),
                mib(burst.peak),
                mib(burst.afterFree),
                mib(burst.afterReaper),
                burst.reaperMillis / 1000.0,
                leaks,
                leakSite,
                String.join(" ", phases.stream().map(p -> p.hgrm().toString()).toList())));
        return s.toString();
    }

    /**
     * One line: slabs against the heap on a measure where lower is better, with the target's verdict if there is one.
     *
     * @return the line, and whether the target is met (never without a target, nor for a difference inside the
     *     noise, which the summary reports as "not shown")
     *
     * @param target the largest slabs/heap ratio that meets the target (1: no worse), or NaN for none; a difference
     *     inside the noise neither meets nor misses it
     * @param goal the target in words
     */
    private Comparison compare(
            String what, ToDoubleFunction<Phase> measure, DoubleFunction<String> format, double target, String goal) {
        double[] slab = phases.stream()
                .filter(p -> p.result().slab())
                .mapToDouble(measure)
                .toArray();
        double[] heap = phases.stream()
                .filter(p -> !p.result().slab())
                .mapToDouble(measure)
                .toArray();
        double s = mean(slab);
        double h = mean(heap);
        double noise = Math.max(spread(slab), spread(heap));
        boolean inNoise = Math.abs(s - h) <= noise;
        String verdict;
        if (inNoise) {
            verdict = "inside the noise (" + format.apply(noise) + ")";
        } else if (s < h) {
            verdict = s == 0 ? "slabs lower" : String.format("slabs %.1fx lower", h / s);
        } else {
            verdict = h == 0 ? "heap lower" : String.format("heap %.1fx lower", s / h);
        }
        String reached = "";
        boolean met = !Double.isNaN(target) && !inNoise && s <= target * h;
        if (!Double.isNaN(target)) {
            reached = "; target " + goal + ": " + (inNoise ? "not shown" : met ? "met" : "NOT met");
        }
        return new Comparison(
                String.format(
                        "  %-17s %s vs %s: %s%s%n", what + ":", format.apply(s), format.apply(h), verdict, reached),
                met);
    }

    /** A comparison line, and whether its target (if it has one) is met. */
    private record Comparison(String line, boolean met) {}

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double spread(double[] values) {
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return values.length < 2 ? 0 : max - min;
    }

    /** @return nanoseconds as microseconds below 10 ms, else as milliseconds */
    private static String micros(double nanos) {
        return nanos < 10_000_000 ? String.format("%,.0f us", nanos / 1000) : String.format("%,.1f ms", nanos / 1e6);
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? String.valueOf(millis / 1000) : String.format("%.1f", millis / 1000.0);
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
