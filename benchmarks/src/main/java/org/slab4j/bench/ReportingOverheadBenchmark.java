package org.slab4j.bench;

import java.time.Duration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.slab4j.KmemCache;
import org.slab4j.SlabAllocator;

/**
 * The cost of statistics and reporting on the fast path: the {@code slab4j} operation of {@link AllocFreeBenchmark}
 * with reporting off, and with statistics on plus a report (read, formatted, logged) every 100 ms and the JMX beans
 * registered, side by side.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar ReportingOverheadBenchmark
 * }</pre>
 */
public class ReportingOverheadBenchmark extends BenchmarkBase {
    /** A slab allocator with one warm 64-byte cache, reporting or not. */
    @State(Scope.Thread)
    public static class Reporting {
        @Param({"false", "true"})
        boolean reporting;

        SlabAllocator allocator;
        KmemCache cache;

        @Setup
        public void setUp() {
            allocator = SlabAllocator.builder()
                    .statistics(reporting)
                    .reportInterval(reporting ? Duration.ofMillis(100) : Duration.ZERO)
                    .jmx(reporting)
                    .build();
            cache = allocator.createCache("bench-64", OBJECT_SIZE);
            cache.free(cache.alloc());
        }

        @TearDown
        public void tearDown() {
            allocator.close();
        }
    }

    @Benchmark
    public long allocFree(Reporting state) {
        return allocUseFree(state.cache);
    }
}
