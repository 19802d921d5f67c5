package org.slab4j.sample;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slab4j.KmemCache;
import org.slab4j.SlabAllocator;
import org.slab4j.Slabs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** The sample's entry point: options, the agent check, the phases (slabs / heap / slabs ...), and the summary. */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger("org.slab4j.sample");
    private static final int LEAKED = 3;
    private static final long MIB = 1024 * 1024;
    private static final long HEAP_ORDER_BYTES = 220;
    private static final long HEAP_BASE_MIB = 8;

    private Main() {}

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("slab4j sample: " + e.getMessage());
            System.err.print(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.print(Options.USAGE);
            return;
        }
        // The agent's runtime logs through java.util.logging: route it into this application's Logback.
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        // Before anything touches the global allocator: the nodes to show alien caches, statistics for slabinfo,
        // a report every 5 s, also as JSON lines (logback.xml sends them to their own file).
        defaultOption("slab4j.nodes", "SLAB4J_NODES", String.valueOf(options.nodes()));
        defaultOption("slab4j.statistics", "SLAB4J_STATISTICS", "true");
        defaultOption("slab4j.reportInterval", "SLAB4J_REPORT_INTERVAL", "5s");
        defaultOption("slab4j.reportJson", "SLAB4J_REPORT_JSON", "true");
        if (!agentRunning()) {
            System.err.println("slab4j sample: the slab4j agent is not running, so @Slab classes get no memory."
                    + " Start the JVM with -javaagent:agent/target/slab4j-agent.jar, for example:\n"
                    + "  java -javaagent:agent/target/slab4j-agent.jar -jar sample-app/target/slab4j-sample-app.jar");
            System.exit(1);
            return;
        }
        String tooSmall = heapTooSmall(options.book(), Runtime.getRuntime().maxMemory());
        if (tooSmall != null) {
            System.err.println("slab4j sample: " + tooSmall);
            System.exit(2);
            return;
        }
        run(options);
    }

    /**
     * The heap the heap phase needs with its book full: about {@value #HEAP_ORDER_BYTES} bytes an order (the
     * {@code HeapOrder}, its segment and its {@code long[]}, and the book's references) and {@value #HEAP_BASE_MIB}
     * MiB for the rest, as measured after GC (docs/sample-app.md: 217.8 MiB for a million). Below that the phase runs
     * out of memory while it fills its book; the sample sizes the heap at 7/4 of it, so that the phase runs at just over
     * half of the heap, as {@code -Xmx400m} does for the default book.
     *
     * @return what to give instead, or {@code null} if the heap holds the book
     */
    static String heapTooSmall(long book, long maxHeap) {
        long needed = book * HEAP_ORDER_BYTES + HEAP_BASE_MIB * MIB;
        if (maxHeap >= needed) {
            return null;
        }
        long xmx = Math.ceilDiv(needed * 7 / 4, 100 * MIB) * 100;
        long fits = (maxHeap * 4 / 7 - HEAP_BASE_MIB * MIB) / HEAP_ORDER_BYTES / 10_000 * 10_000;
        return String.format(
                "the heap phase's book of %,d resting orders needs about %d MiB of heap, and this JVM has %d MiB:"
                        + " run it with -Xmx%dm%s",
                book,
                Math.round((double) needed / MIB),
                maxHeap / MIB,
                xmx,
                fits > 0 ? ", or with --book " + fits + " at most" : "");
    }

    /**
     * Gives a slab4j option the sample's value unless the user gave it: the property would otherwise outrank the
     * user's environment variable (and the agent argument outranks both anyway).
     */
    private static void defaultOption(String property, String environmentVariable, String value) {
        if (System.getProperty(property) == null && System.getenv(environmentVariable) == null) {
            System.setProperty(property, value);
        }
    }

    /**
     * @return whether the agent gave a {@code @Slab} class its segment (the first Order also creates the "order"
     *     cache, so that "quote", made later, merges into it)
     */
    private static boolean agentRunning() {
        try {
            Slabs.free(new Order(new Wire(), 0));
            return true;
        } catch (NullPointerException noSegment) {
            return false;
        }
    }

    private static void run(Options options) throws Exception {
        SlabAllocator slab = SlabAllocator.global();
        KmemCache quotes = Slabs.cacheOf(Quote.class);
        LOG.info(
                "slab4j sample: a book of {} resting orders, {} orders and cancels/s from {} gateways to {} matchers,"
                        + " {} nodes; {} phases of {} s warm-up and {} s measured",
                options.book(),
                options.rate(),
                options.gateways(),
                options.matchers(),
                slab.nodes(),
                options.phases(),
                options.warmup().toMillis() / 1000.0,
                options.duration().toMillis() / 1000.0);
        LOG.info(
                "caches: order {} bytes | quote -> {} (merged: {}) | trade (ctor) | snapshot (NO_MERGE) {}",
                Slabs.cacheOf(Order.class).geometry().size(),
                quotes.canonicalName(),
                quotes.isAlias(),
                Slabs.cacheOf(Snapshot.class).isAlias() ? "merged!" : "its own cache");
        leakSome();

        GcWatch gc = GcWatch.start();
        List<Summary.Phase> phases = new ArrayList<>();
        for (int i = 1; i <= options.phases(); i++) {
            boolean withSlabs = i % 2 == 1;
            phases.add(phase(i, new Engine(options, withSlabs), gc));
        }
        Burst burst = new Burst(slab);
        burst.run();

        long leaks = awaitLeaks();
        LOG.info("slabinfo at the end:\n{}", slab.slabinfo());
        slab.report(); // slabtop summary, @Slab types and sites, and a WARN line for the leaks found
        System.out.println(new Summary(options, phases, burst, leaks, leakSite()));
    }

    /**
     * Runs one phase, weighs the heap and the slabs with its book still full, writes its latency distribution, frees
     * its book, and collects the garbage that leaves, so that every phase starts from a clean heap.
     */
    private static Summary.Phase phase(int number, Engine engine, GcWatch gc) throws Exception {
        Engine.Result r = engine.run();
        long slabBytesAtEnd = slabBytes();
        GcWatch.Stats pauses = gc.between(r.measureStart(), r.measureEnd());
        GcWatch.Stats before = gc.between(r.phaseStart(), r.measureStart());
        System.gc(); // a full collection: what remains is the heap the phase's book and engine keep
        long heapAfterGc =
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        Path hgrm = Path.of("slab4j-latency-" + number + "-" + (r.slab() ? "slabs" : "heap") + ".hgrm");
        try (PrintStream out = new PrintStream(Files.newOutputStream(hgrm), false, StandardCharsets.US_ASCII)) {
            r.latency().outputPercentileDistribution(out, 1e6); // in milliseconds, the plotter's unit
        }
        engine.clear();
        for (KmemCache c : SlabAllocator.global().caches()) {
            c.shrink(); // the next phase starts without this one's slabs
        }
        System.gc(); // nor with this one's garbage (a heap book leaves 200 MiB of it)
        Summary.Phase phase = new Summary.Phase(number, r, before, pauses, heapAfterGc, slabBytesAtEnd, hgrm);
        LOG.info("{}", phase);
        return phase;
    }

    /**
     * Three snapshots dropped on purpose: nothing frees them, so (their type being tracked) they are reclaimed after
     * GC and reported as leaks at this allocation site.
     */
    private static void leakSome() {
        List<Snapshot> forgotten = new ArrayList<>();
        for (int i = 0; i < LEAKED; i++) {
            forgotten.add(new Snapshot(new long[Snapshot.INSTRUMENTS], new long[Snapshot.INSTRUMENTS]));
        }
        forgotten.clear();
    }

    private static long awaitLeaks() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        long leaks;
        do {
            System.gc();
            Thread.sleep(100);
            leaks = Slabs.stats(Snapshot.class).leaks();
        } while (leaks < LEAKED && System.nanoTime() < deadline);
        return leaks;
    }

    private static String leakSite() {
        for (Slabs.SiteStats s : Slabs.stats(Snapshot.class).sites()) {
            if (s.leaks() > 0) {
                return s.location();
            }
        }
        return "none found";
    }

    /** @return bytes of all slabs of all caches: memory held for objects, in use or cached */
    static long slabBytes() {
        Set<String> seen = new HashSet<>();
        long bytes = 0;
        for (KmemCache c : SlabAllocator.global().caches()) {
            if (seen.add(c.canonicalName())) {
                bytes += c.stats().slabBytes();
            }
        }
        return bytes;
    }

    /**
     * After the phases (outside any measured window): 200,000 quotes at once, then all freed (each by
     * {@code close()}); slabs beyond the free limit go at once, and the reaper takes the rest within seconds.
     */
    static final class Burst {
        private static final Duration REAPER_WAIT = Duration.ofSeconds(6);
        private final SlabAllocator slab;
        long before;
        long peak;
        long afterFree;
        long afterReaper;
        long reaperMillis;

        Burst(SlabAllocator slab) {
            this.slab = slab;
        }

        void run() throws InterruptedException {
            before = slabBytes();
            List<Quote> quotes = new ArrayList<>(200_000);
            for (int i = 0; i < 200_000; i++) {
                quotes.add(new Quote(100 + i % 7, 101 + i % 7));
            }
            peak = slabBytes();
            quotes.forEach(Quote::close);
            quotes.clear();
            slab.drainCurrentThread();
            afterFree = slabBytes();
            long start = System.nanoTime();
            do {
                Thread.sleep(200);
                afterReaper = slabBytes();
            } while (afterReaper >= afterFree && System.nanoTime() - start < REAPER_WAIT.toNanos());
            reaperMillis = (System.nanoTime() - start) / 1_000_000;
        }
    }
}
