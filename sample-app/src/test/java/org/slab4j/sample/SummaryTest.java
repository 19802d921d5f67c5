package org.slab4j.sample;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The summary's comparison lines: which side won, by how much, and when the difference is only noise. */
class SummaryTest {
    private static final long MIB = 1024 * 1024;

    private static Summary.Phase phase(int number, long latencyMicros, long longestPause, long heapMib) {
        return phase(number, latencyMicros, longestPause, heapMib, 1_000_000);
    }

    private static Summary.Phase phase(
            int number, long latencyMicros, long longestPause, long heapMib, long matcherNanos) {
        Histogram latency = new Histogram(3);
        latency.recordValueWithCount(latencyMicros * 1000, 10_000);
        Engine.Result r = new Engine.Result(
                number % 2 == 1,
                10_000,
                0,
                20_000,
                1_000_000,
                matcherNanos,
                100,
                100,
                10,
                latency,
                1_000,
                0,
                2_000,
                10_000);
        return new Summary.Phase(
                number,
                r,
                new GcWatch.Stats(1, 5, 5),
                new GcWatch.Stats(4, 4 * longestPause, longestPause),
                heapMib * MIB,
                0,
                Path.of("x.hgrm"));
    }

    private static String summary(Summary.Phase... phases) {
        Options options = Options.parse();
        Main.Burst burst = new Main.Burst(null);
        return new Summary(options, List.of(phases), burst, 3, "here:1").toString();
    }

    @Test
    void saysWhichSideWonAndByHowMuchAgainstTheTargets() {
        String s = summary(phase(1, 100, 10, 100), phase(2, 400, 60, 250), phase(3, 110, 12, 104));
        assertTrue(s.contains("longest GC pause: 11 ms vs 60 ms: slabs 5.5x lower; target at most 1/3: met"), s);
        assertTrue(
                s.contains("heap after GC:    102.0 MiB vs 250.0 MiB: slabs 2.5x lower; target at most 0.5x: met"), s);
        assertTrue(s.contains("p99.9 latency:    105 us vs 400 us: slabs 3.8x lower; target no worse: met"), s);
        assertFalse(s.contains("why"), s);
    }

    @Test
    void showsTheGcTimeAndTheMatchersCpuAndWhyThePauseAndTailTargetsAreMissed() {
        String s = summary(
                phase(1, 400, 60, 100, 40_000_000),
                phase(2, 300, 60, 250, 20_000_000),
                phase(3, 420, 62, 104, 44_000_000));
        assertTrue(s.contains("GC total:         244 ms vs 240 ms: inside the noise (8 ms)"), s);
        assertTrue(s.contains("matcher CPU/msg:  2.10 us vs 1.00 us: heap 2.1x lower"), s);
        assertTrue(
                s.contains("longest GC pause: 61 ms vs 60 ms: inside the noise (2 ms); target at most 1/3: not shown"),
                s);
        assertTrue(
                s.contains(
                        "why the GC pause and p99.9 targets are not reached here: G1 sizes its young generation to its"
                                + " pause goal in both kinds of phase"),
                s);
        assertTrue(s.contains("docs/sample-app.md#targets"), s);
    }

    @Test
    void namesOnlyTheTargetThatIsMissed() {
        String s = summary(phase(1, 100, 30, 100), phase(2, 400, 60, 250), phase(3, 110, 31, 104));
        assertTrue(s.contains("target no worse: met"), s);
        assertTrue(
                s.contains(
                        "why the GC pause target is not reached here: G1 sizes its young generation to its pause goal"),
                s);
        assertFalse(s.contains("catch-up"), s);
    }

    @Test
    void aDifferenceSmallerThanTheSpreadBetweenLikePhasesIsNoise() {
        String s = summary(phase(1, 100, 10, 100), phase(2, 120, 22, 140), phase(3, 150, 30, 104));
        assertTrue(
                s.contains("p99.9 latency:    125 us vs 120 us: inside the noise (50 us); target no worse: not shown"),
                s);
        assertTrue(
                s.contains("longest GC pause: 20 ms vs 22 ms: inside the noise (20 ms); target at most 1/3: not shown"),
                s);
        assertTrue(
                s.contains("heap after GC:    102.0 MiB vs 140.0 MiB: slabs 1.4x lower; target at most 0.5x: NOT met"),
                s);
    }
}
