package org.slab4j.internal.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slab4j.SlabAllocator;
import org.slab4j.SlabFlag;

/**
 * The options of {@link SlabAllocator#global()}: one per {@link SlabAllocator.Builder} setting, under the builder's
 * own name, plus the {@code report} shorthand. To add one: a constant, its entry in {@link #OPTIONS} and its case in
 * {@link #apply} (docs/configuration.md lists them all). No lambdas: the agent loads this class in {@code premain}.
 */
public final class GlobalOptions {
    private GlobalOptions() {}

    static final Option<Integer> PAGE_SIZE =
            Option.powerOfTwo("pageSize", 4096, 65536, "4096", "PAGE_SIZE in bytes, a power of two");
    static final Option<Integer> CACHE_LINE_SIZE =
            Option.powerOfTwo("cacheLineSize", 8, 65536, "64", "cache_line_size() in bytes, a power of two");
    static final Option<Integer> SLAB_MAX_ORDER =
            Option.integer("slabMaxOrder", 0, 10, "1", "slab_max_order: the largest slab is 2^order pages");
    static final Option<Integer> NODES = Option.integer(
            "nodes", 1, 64, "the machine's NUMA nodes", "memory nodes, each with its own pages and slab lists");
    static final Option<Integer> CPUS = Option.integer(
            "cpus", 1, SlabAllocator.MAX_CPUS, "available processors", "num_possible_cpus() for the tunables");
    static final Option<Boolean> MERGE =
            Option.of("merge", Kind.BOOLEAN, "true", "merge compatible caches (false: slab_nomerge)");
    static final Option<Long> MEMORY_LIMIT = Option.of(
            "memoryLimit", Kind.BYTES, "no limit", "the most native memory mapped, at least one chunk (1024 pages)");
    static final Option<Boolean> FREELIST_RANDOM = Option.of(
            "freelistRandom",
            Kind.BOOLEAN,
            "false",
            "CONFIG_SLAB_FREELIST_RANDOM: new slabs hand out objects in random order");
    static final Option<Long> RANDOM_SEED =
            Option.of("randomSeed", Kind.LONG, "the clock", "the seed of freelistRandom, for reproducible runs");
    static final Option<Boolean> INIT_ON_FREE =
            Option.of("initOnFree", Kind.BOOLEAN, "false", "init_on_free: zero every object when it is freed");
    static final Option<Boolean> STATISTICS =
            Option.of("statistics", Kind.BOOLEAN, "false", "print slabinfo in the (statistics) form");
    static final Option<Duration> REAP_INTERVAL = Option.of(
            "reapInterval", Kind.DURATION, "2s", "how often the reaper runs (REAPTIMEOUT_AC); 0 turns it off");
    static final Option<Set<SlabFlag>> DEBUG = Option.of(
            "debug", Kind.DEBUG_FLAGS, "none", "slab_debug for every cache: letters P, Z, U, or SlabFlag names");
    static final Option<Duration> REPORT_INTERVAL =
            Option.of("reportInterval", Kind.DURATION, "60s", "how often a report is logged; 0 for never");
    static final Option<Boolean> REPORT_AT_EXIT = Option.of(
            "reportAtExit",
            Kind.BOOLEAN,
            "true",
            "log one report when the JVM exits (to stderr if logging has shut down)");
    static final Option<Kind.ReportMode> REPORT = Option.of(
            "report",
            Kind.REPORT_MODE,
            "60s",
            "shorthand for both: off, exit (at exit only), or an interval (and at exit)");
    static final Option<Boolean> REPORT_JSON = Option.of(
            "reportJson", Kind.BOOLEAN, "false", "also log each report as JSON lines on org.slab4j.report.json");
    static final Option<Boolean> JMX = Option.of("jmx", Kind.BOOLEAN, "true", "register the allocator's MBeans");

    /** Read by the {@code @Slab} types (not a builder setting, so not in {@link #OPTIONS}): see {@code Slab.Release}. */
    public static final Option<String> LEAKS = Option.of(
            "leaks",
            Kind.LEAK_MODE,
            "sample",
            "which instances of SAMPLED @Slab types are watched for leaks: sample, all, off");

    public static final Option<Integer> LEAK_RATE = Option.integer(
            "leakRate", 1, Integer.MAX_VALUE, "128", "under leaks=sample, watch one instance in this many");

    /** In the order they are applied: {@code report} after the two settings it is shorthand for, so that it wins. */
    private static final List<Option<?>> OPTIONS = List.of(
            PAGE_SIZE,
            CACHE_LINE_SIZE,
            SLAB_MAX_ORDER,
            NODES,
            CPUS,
            MERGE,
            MEMORY_LIMIT,
            FREELIST_RANDOM,
            RANDOM_SEED,
            INIT_ON_FREE,
            STATISTICS,
            REAP_INTERVAL,
            DEBUG,
            REPORT_INTERVAL,
            REPORT_AT_EXIT,
            REPORT,
            REPORT_JSON,
            JMX);

    static {
        Settings.declare(OPTIONS);
        Settings.declare(List.of(LEAKS, LEAK_RATE));
    }

    /** @return the options, in the order they are applied */
    public static List<Option<?>> options() {
        return OPTIONS;
    }

    /**
     * Applies every option that {@code s} gives to {@code b}, in order.
     *
     * @param warn where a value that cannot be read is named before it is skipped
     */
    public static SlabAllocator.Builder configure(SlabAllocator.Builder b, Settings s, Consumer<String> warn) {
        for (Option<?> o : OPTIONS) {
            Object value = s.value(o, warn);
            if (value != null) {
                apply(b, o, value);
            }
        }
        return b;
    }

    /** Calls the builder setting of {@code o}, whose value {@code v} is of the type {@code o}'s kind gives. */
    @SuppressWarnings("unchecked") // DEBUG's kind gives a Set<SlabFlag>
    static void apply(SlabAllocator.Builder b, Option<?> o, Object v) {
        switch (o.name()) {
            case "pageSize" -> b.pageSize((Integer) v);
            case "cacheLineSize" -> b.cacheLineSize((Integer) v);
            case "slabMaxOrder" -> b.slabMaxOrder((Integer) v);
            case "nodes" -> b.nodes((Integer) v);
            case "cpus" -> b.cpus((Integer) v);
            case "merge" -> b.merge((Boolean) v);
            case "memoryLimit" -> b.memoryLimit((Long) v);
            case "freelistRandom" -> b.freelistRandom((Boolean) v);
            case "randomSeed" -> b.randomSeed((Long) v);
            case "initOnFree" -> b.initOnFree((Boolean) v);
            case "statistics" -> b.statistics((Boolean) v);
            case "reapInterval" -> b.reapInterval((Duration) v);
            case "debug" -> b.debug((Set<SlabFlag>) v);
            case "reportInterval" -> b.reportInterval((Duration) v);
            case "reportAtExit" -> b.reportAtExit((Boolean) v);
            case "report" -> {
                Kind.ReportMode m = (Kind.ReportMode) v;
                b.reportInterval(m.interval()).reportAtExit(m.atExit());
            }
            case "reportJson" -> b.reportJson((Boolean) v);
            case "jmx" -> b.jmx((Boolean) v);
            default -> throw new IllegalStateException("option " + o.name() + " has no builder setting");
        }
    }
}
