package org.slab4j.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The packaged sample, run briefly in its own JVM with the packaged agent, as the README tells a user to. */
class SampleAppIT {
    private static final String JAVA =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private static String run(List<String> command) throws IOException, InterruptedException {
        return run(command, Map.of());
    }

    private static String run(List<String> command, Map<String, String> environment)
            throws IOException, InterruptedException {
        // In target/, where the sample's report files may go.
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(
                        Path.of(System.getProperty("slab4j.it.app")).getParent().toFile())
                .redirectErrorStream(true);
        pb.environment().putAll(environment);
        Path log = Files.createTempFile("slab4j-sample", ".out");
        try {
            Process p = pb.redirectOutput(log.toFile()).start();
            boolean ended = p.waitFor(120, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly().waitFor();
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(ended, "the sample ended: " + out);
            return "exit " + p.exitValue() + "\n" + out;
        } finally {
            Files.delete(log);
        }
    }

    @Test
    void runsWithTheAgentAndReportsWhatItDid() throws Exception {
        Path dir = Path.of(System.getProperty("slab4j.it.app")).getParent();
        List<String> distributions =
                List.of("slab4j-latency-1-slabs.hgrm", "slab4j-latency-2-heap.hgrm", "slab4j-latency-3-slabs.hgrm");
        for (String hgrm : distributions) {
            Files.deleteIfExists(dir.resolve(hgrm));
        }
        List<String> cmd = new ArrayList<>(List.of(
                JAVA,
                "-javaagent:" + System.getProperty("slab4j.it.agent"),
                "-Xmx512m",
                "-jar",
                System.getProperty("slab4j.it.app"),
                "--book",
                "50000",
                "--duration",
                "2s",
                "--warmup",
                "1s",
                "--rate",
                "20000"));
        String out = run(cmd);
        assertTrue(out.startsWith("exit 0\n"), out);
        assertTrue(out.contains("=== slab4j sample: summary ==="), out);
        assertTrue(
                out.contains("each phase: a book of 50,000 resting orders (96 bytes each), then 20,000 orders and"
                        + " cancels/s: 1 s warm-up, 2 s measured"),
                out);
        assertTrue(
                Pattern.compile("phase +orders/s +p50 +p99 +p99\\.9 +p99\\.99 +max \\| GC pauses +GC total +longest \\|"
                                + " heap after GC +in slabs")
                        .matcher(out)
                        .find(),
                "the table's header: " + out);
        String latency = "[\\d,.]+ (us|ms)";
        for (String phase : List.of("1 slabs", "2 heap", "3 slabs")) {
            assertTrue(
                    Pattern.compile("\\n" + phase + " +[\\d,]+( +" + latency + "){5} \\| +\\d+ +\\d+ ms +\\d+ ms \\|"
                                    + " +[\\d.]+ MiB +[\\d.]+ MiB\\n")
                            .matcher(out)
                            .find(),
                    "a row for phase " + phase + ": " + out);
        }
        String verdict = "((slabs|heap)( [\\d.]+x)? lower|inside the noise \\([^)]*\\))";
        for (String line : List.of(
                "longest GC pause: +\\d+ ms vs \\d+ ms: " + verdict
                        + "; target at most 1/3: (met|NOT met|not shown)\\n",
                "heap after GC: +[\\d.]+ MiB vs [\\d.]+ MiB: " + verdict
                        + "; target at most 0\\.5x: (met|NOT met|not shown)\\n",
                "p99\\.9 latency: +" + latency + " vs " + latency + ": " + verdict
                        + "; target no worse: (met|NOT met|not shown)\\n",
                "p99 latency: +" + latency + " vs " + latency + ": " + verdict + "\\n",
                "p50 latency: +" + latency + " vs " + latency + ": " + verdict + "\\n",
                "GC total: +\\d+ ms vs \\d+ ms: " + verdict + "\\n",
                "matcher CPU/msg: +[\\d.]+ us vs [\\d.]+ us: " + verdict + "\\n")) {
            assertTrue(Pattern.compile(line).matcher(out).find(), line + " in " + out);
        }
        boolean bothMet = out.contains("target at most 1/3: met") && out.contains("target no worse: met");
        assertTrue(
                bothMet
                        != Pattern.compile("\\nwhy the [^\\n]* not reached here: ")
                                .matcher(out)
                                .find(),
                "the reason, when the pause or the p99.9 target is not met: " + out);
        assertTrue(Files.exists(dir.resolve("slab4j-report.log")), "the report log");
        for (String hgrm : distributions) {
            assertTrue(out.contains(hgrm), "the summary names " + hgrm + ": " + out);
            String text = Files.readString(dir.resolve(hgrm));
            assertTrue(text.contains("Value     Percentile TotalCount 1/(1-Percentile)"), hgrm + ": " + text);
            assertTrue(text.contains("#[Max     ="), hgrm + ": " + text);
        }
        assertTrue(out.contains("quote -> order (merged: true)"), out);
        assertTrue(out.contains("snapshot (NO_MERGE) its own cache"), out);
        Matcher trades =
                Pattern.compile("([\\d,]+) trades \\(([\\d,]+) stamped").matcher(out);
        assertTrue(trades.find(), out);
        long n = Long.parseLong(trades.group(1).replace(",", ""));
        assertTrue(n > 0, "trades were made");
        assertEquals(n, Long.parseLong(trades.group(2).replace(",", "")), "every trade carries the ctor's stamp");
        Matcher burst = Pattern.compile(
                        "burst of 200,000 quotes after the phases: slabs held ([\\d.]+) MiB -> ([\\d.]+)"
                                + " MiB, [\\d.]+ MiB after the frees, [\\d.]+ MiB [\\d.]+ s later \\(the reaper\\)\n")
                .matcher(out);
        assertTrue(burst.find(), out);
        assertTrue(Double.parseDouble(burst.group(2)) > Double.parseDouble(burst.group(1)), "the quotes took slabs");
        assertTrue(
                out.contains("leak report: 3 snapshots reclaimed after GC without a free, allocated at "
                        + "org.slab4j.sample.Main.leakSome:"),
                out);
        assertTrue(out.contains("slabinfo - version: 2.1 (statistics)"), out);
        assertTrue(out.contains("Active / Total Objects (% used)"), "the slabtop summary: " + out);
        assertTrue(out.contains("@Slab types") && out.contains("org.slab4j.sample.Trade (trade)"), out);
        assertTrue(out.contains("org.slab4j.sample.Quote (quote -> order)"), out);
        assertTrue(
                out.contains("WARN") && out.contains("slab4j leak: 3 instance(s) of org.slab4j.sample.Snapshot"), out);
        assertTrue(Pattern.compile("\\norder +\\d+").matcher(out).find(), "the order cache has a slabinfo row");
    }

    /**
     * The sample's own defaults for slab4j options (two nodes, statistics, a report every 5 s) give way to the user's,
     * from every place docs/configuration.md names: the environment too, not only {@code -Dslab4j.*}.
     */
    @Test
    void theEnvironmentOverridesTheSamplesDefaultOptions() throws Exception {
        String out = run(
                List.of(
                        JAVA,
                        "-javaagent:" + System.getProperty("slab4j.it.agent") + "=report=exit",
                        "-jar",
                        System.getProperty("slab4j.it.app"),
                        "--book",
                        "1000",
                        "--duration",
                        "1s",
                        "--warmup",
                        "1s",
                        "--rate",
                        "1000"),
                Map.of("SLAB4J_NODES", "1", "SLAB4J_STATISTICS", "false"));
        assertTrue(out.startsWith("exit 0\n"), out);
        assertTrue(out.contains(" matchers, 1 nodes; "), out);
        assertTrue(out.contains("slabinfo - version: 2.1\n") && !out.contains("(statistics)"), out);
    }

    @Test
    void withoutTheAgentItStopsAndSaysHowToStart() throws Exception {
        String out = run(List.of(JAVA, "-jar", System.getProperty("slab4j.it.app"), "--duration", "1s"));
        assertTrue(out.startsWith("exit 1\n"), out);
        assertTrue(out.contains("-javaagent:agent/target/slab4j-agent.jar"), out);
    }

    /**
     * A heap too small for the heap phase's book: a line that says so and what to give, at once. The sample ran out of
     * memory in its fill instead, and hung with its engine's threads.
     */
    @Test
    void aHeapTooSmallForTheBookStopsAndSaysWhatItNeeds() throws Exception {
        String out = run(List.of(
                JAVA,
                "-javaagent:" + System.getProperty("slab4j.it.agent"),
                "-Xmx64m",
                "-jar",
                System.getProperty("slab4j.it.app")));
        assertTrue(out.startsWith("exit 2\n"), out);
        assertTrue(
                out.contains("slab4j sample: the heap phase's book of 1,000,000 resting orders needs about 218 MiB of"
                        + " heap, and this JVM has 64 MiB: run it with -Xmx400m, or with --book 130000 at most"),
                out);
        assertFalse(out.contains("OutOfMemoryError"), out);
    }

    @Test
    void helpListsTheOptions() throws Exception {
        String out = run(List.of(JAVA, "-jar", System.getProperty("slab4j.it.app"), "--help"));
        assertTrue(out.startsWith("exit 0\n"), out);
        for (String option : List.of(
                "--book", "--duration", "--warmup", "--phases", "--gateways", "--matchers", "--nodes", "--rate")) {
            assertTrue(out.contains(option), out);
        }
    }
}
