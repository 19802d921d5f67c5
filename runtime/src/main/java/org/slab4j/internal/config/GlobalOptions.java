package org.slab4j.internal.config;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slab4j.SlabAllocator;
import org.slab4j.SlabFlag;

/**
 * The options of {@link SlabAllocator#global()}: one row per {@link SlabAllocator.Builder} setting, under the builder's
 * own name, plus the {@code report} shorthand. To add an option, add a row (docs/configuration.md lists them all).
 */
public final class GlobalOptions {
    private GlobalOptions() {}

    /** What {@code report} sets: the periodic interval (zero for none) and whether to report at exit. */
    public record ReportMode(Duration interval, boolean atExit) {
        /** Reads {@code off}, {@code exit} or a duration (periodic and at exit). */
        static final Function<String, ReportMode> PARSER = v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "off", "0" -> new ReportMode(Duration.ZERO, false);
            case "exit" -> new ReportMode(Duration.ZERO, true);
            default -> {
                try {
                    yield new ReportMode(Values.DURATION.apply(v), true);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("must be off, exit, or a duration such as 500ms, 10s, 5m or 1h");
                }
            }
        };
    }

    /**
     * The kernel's {@code slab_debug} letters ({@code P} poison, {@code Z} red zone, {@code U} store user, e.g.
     * {@code PZU}), or a comma-separated list of {@link SlabFlag} names.
     */
    static final Function<String, Set<SlabFlag>> DEBUG_FLAGS = v -> {
        Set<SlabFlag> flags = EnumSet.noneOf(SlabFlag.class);
        String t = v.toUpperCase(Locale.ROOT);
        if (t.matches("[PZU]+")) {
            for (char c : t.toCharArray()) {
                flags.add(c == 'P' ? SlabFlag.POISON : c == 'Z' ? SlabFlag.RED_ZONE : SlabFlag.STORE_USER);
            }
            return flags;
        }
        for (String name : t.split(",")) {
            if (!name.isBlank()) {
                try {
                    flags.add(SlabFlag.valueOf(name.trim()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("must be slab_debug letters P, Z, U, or names of "
                            + EnumSet.allOf(SlabFlag.class) + " (unknown flag '" + name.trim() + "')");
                }
            }
        }
        return flags;
    };

    private record Row<T>(Option<T> option, BiConsumer<SlabAllocator.Builder, T> apply) {
        void applyTo(SlabAllocator.Builder b, Settings s, Consumer<String> warn) {
            T value = s.value(option, warn);
            if (value != null) {
                apply.accept(b, value);
            }
        }
    }

    private static <T> Row<T> row(
            String name,
            Function<String, T> parser,
            String defaultText,
            String description,
            BiConsumer<SlabAllocator.Builder, T> apply) {
        return new Row<>(new Option<>(name, parser, defaultText, description), apply);
    }

    private static final List<Row<?>> ROWS = List.of(
            row(
                    "pageSize",
                    Values.integer(4096, 65536),
                    "4096",
                    "PAGE_SIZE in bytes, a power of two",
                    SlabAllocator.Builder::pageSize),
            row(
                    "cacheLineSize",
                    Values.integer(1, 65536),
                    "64",
                    "cache_line_size() in bytes, a power of two",
                    SlabAllocator.Builder::cacheLineSize),
            row(
                    "slabMaxOrder",
                    Values.integer(0, 10),
                    "1",
                    "slab_max_order: the largest slab is 2^order pages",
                    SlabAllocator.Builder::slabMaxOrder),
            row(
                    "nodes",
                    Values.integer(1, 64),
                    "the machine's NUMA nodes",
                    "memory nodes, each with its own pages and slab lists",
                    SlabAllocator.Builder::nodes),
            row(
                    "cpus",
                    Values.integer(1, Integer.MAX_VALUE),
                    "available processors",
                    "num_possible_cpus() for the tunables",
                    SlabAllocator.Builder::cpus),
            row(
                    "merge",
                    Values.BOOLEAN,
                    "true",
                    "merge compatible caches (false: slab_nomerge)",
                    SlabAllocator.Builder::merge),
            row(
                    "memoryLimit",
                    Values.BYTES,
                    "no limit",
                    "the most native memory mapped, at least one 4 MiB chunk",
                    SlabAllocator.Builder::memoryLimit),
            row(
                    "freelistRandom",
                    Values.BOOLEAN,
                    "false",
                    "CONFIG_SLAB_FREELIST_RANDOM: new slabs hand out objects in random order",
                    SlabAllocator.Builder::freelistRandom),
            row(
                    "randomSeed",
                    Values.LONG,
                    "the clock",
                    "the seed of freelistRandom, for reproducible runs",
                    SlabAllocator.Builder::randomSeed),
            row(
                    "initOnFree",
                    Values.BOOLEAN,
                    "false",
                    "init_on_free: zero every object when it is freed",
                    SlabAllocator.Builder::initOnFree),
            row(
                    "statistics",
                    Values.BOOLEAN,
                    "false",
                    "print slabinfo in the (statistics) form",
                    SlabAllocator.Builder::statistics),
            row(
                    "reapInterval",
                    Values.DURATION,
                    "2s",
                    "how often the reaper runs (REAPTIMEOUT_AC); 0 turns it off",
                    SlabAllocator.Builder::reapInterval),
            row(
                    "debug",
                    DEBUG_FLAGS,
                    "none",
                    "slab_debug for every cache: letters P, Z, U, or SlabFlag names",
                    SlabAllocator.Builder::debug),
            row(
                    "reportInterval",
                    Values.DURATION,
                    "60s",
                    "how often a report is logged; 0 for never",
                    SlabAllocator.Builder::reportInterval),
            row(
                    "reportAtExit",
                    Values.BOOLEAN,
                    "true",
                    "log one report when the JVM exits (to stderr if logging has shut down)",
                    SlabAllocator.Builder::reportAtExit),
            row(
                    "report",
                    ReportMode.PARSER,
                    "60s",
                    "shorthand for both: off, exit (at exit only), or an interval (and at exit)",
                    (b, m) -> b.reportInterval(m.interval()).reportAtExit(m.atExit())),
            row(
                    "reportJson",
                    Values.BOOLEAN,
                    "false",
                    "also log each report as JSON lines on org.slab4j.report.json",
                    SlabAllocator.Builder::reportJson),
            row("jmx", Values.BOOLEAN, "true", "register the allocator's MBeans", SlabAllocator.Builder::jmx));

    static {
        Settings.declare(options());
    }

    /** @return the options, in the order they are applied */
    public static List<Option<?>> options() {
        return ROWS.stream().<Option<?>>map(Row::option).toList();
    }

    /**
     * Applies every option that {@code s} gives to {@code b}, in table order.
     *
     * @param warn where a value that cannot be read is named before it is skipped
     */
    public static SlabAllocator.Builder configure(SlabAllocator.Builder b, Settings s, Consumer<String> warn) {
        for (Row<?> r : ROWS) {
            r.applyTo(b, s, warn);
        }
        return b;
    }
}
