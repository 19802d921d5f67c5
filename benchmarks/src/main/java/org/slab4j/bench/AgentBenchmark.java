package org.slab4j.bench;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.infra.Blackhole;
import org.slab4j.Slabs;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;

/**
 * {@code new Order(..)} plus {@code Slabs.free} of a {@code @Slab} class under the agent, for each release policy
 * ({@code EXPLICIT}: {@code slabOrder}; the default {@code SAMPLED}: {@code sampledOrder}; {@code TRACKED}:
 * {@code trackedOrder}), against the same class holding its 64
 * bytes in a heap {@code byte[]}, and against the floor of slab4j's {@code @Slab} contract ({@code floorOrder}, which
 * needs no agent). The forks start with the packaged agent, so run it from the project
 * root after {@code mvn -q -DskipTests package}:
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar AgentBenchmark -prof gc
 * }</pre>
 */
@Fork(
        value = 1,
        jvmArgsAppend = {
            "-javaagent:agent/target/slab4j-agent.jar=report=0",
            "--enable-native-access=ALL-UNNAMED",
            "-Xms1g",
            "-Xmx1g",
            "-XX:+AlwaysPreTouch"
        })
public class AgentBenchmark extends BenchmarkBase {
    /** A 64-byte order in the "bench-order" cache, released explicitly (no per-instance reference tracking). */
    @Slab(name = "bench-order", size = OBJECT_SIZE, release = Slab.Release.EXPLICIT)
    static final class SlabOrder {
        @SlabSegment
        MemorySegment mem;

        SlabOrder(long id) {
            mem.set(JAVA_LONG, 0, id);
        }

        long id() {
            return mem.get(JAVA_LONG, 0);
        }
    }

    /** An order under the default release policy ({@code SAMPLED}): one instance in 128 watched for a leak. */
    @Slab(name = "bench-sampled", size = OBJECT_SIZE)
    static final class SampledOrder {
        @SlabSegment
        MemorySegment mem;

        SampledOrder(long id) {
            mem.set(JAVA_LONG, 0, id);
        }
    }

    /** An order under {@code TRACKED}: each instance tracked until freed, or reclaimed after GC. */
    @Slab(name = "bench-tracked", size = OBJECT_SIZE, release = Slab.Release.TRACKED)
    static final class TrackedOrder {
        @SlabSegment
        MemorySegment mem;

        TrackedOrder(long id) {
            mem.set(JAVA_LONG, 0, id);
        }
    }

    /** The same order with its 64 bytes on the heap. */
    static final class HeapOrder {
        final ByteBuffer mem = ByteBuffer.wrap(new byte[OBJECT_SIZE]);

        HeapOrder(long id) {
            mem.putLong(0, id);
        }

        long id() {
            return mem.getLong(0);
        }
    }

    /**
     * The floor of slab4j's {@code @Slab} contract on JDK 25: a heap instance holding a segment zeroed with
     * {@link MemorySegment#fill} (a class without a cache constructor gets zeroes, as its Java fields start at zero)
     * from a checked per-thread free list over many slabs ({@link AllocFreeBenchmark.PagedFreeListState}), and a free
     * that takes the segment out of the instance atomically (so that two racing frees of one instance cannot both give
     * it back) and checks it before pushing it. No allocation sites, statistics, release policy or type look-up.
     */
    static final class FloorOrder {
        private static final VarHandle MEM;

        static {
            try {
                MEM = MethodHandles.lookup().findVarHandle(FloorOrder.class, "mem", MemorySegment.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        MemorySegment mem;

        FloorOrder(AllocFreeBenchmark.PagedFreeListState slabs, long id) {
            mem = slabs.alloc().fill((byte) 0);
            mem.set(JAVA_LONG, 0, id);
        }

        long id() {
            return mem.get(JAVA_LONG, 0);
        }

        void free(AllocFreeBenchmark.PagedFreeListState slabs) {
            slabs.free((MemorySegment) MEM.getAndSet(this, MemorySegment.NULL));
        }
    }

    @Benchmark
    public long slabOrder() {
        SlabOrder o = new SlabOrder(payload);
        long id = o.id();
        Slabs.free(o);
        return id;
    }

    @Benchmark
    public long sampledOrder() {
        SampledOrder o = new SampledOrder(payload);
        long id = o.mem.get(JAVA_LONG, 0);
        Slabs.free(o);
        return id;
    }

    @Benchmark
    public long trackedOrder() {
        TrackedOrder o = new TrackedOrder(payload);
        long id = o.mem.get(JAVA_LONG, 0);
        Slabs.free(o);
        return id;
    }

    /** {@link FloorOrder}: the floor of {@link #slabOrder}. */
    @Benchmark
    public long floorOrder(AllocFreeBenchmark.PagedFreeListState slabs) {
        FloorOrder o = new FloorOrder(slabs, payload);
        long id = o.id();
        o.free(slabs);
        return id;
    }

    @Benchmark
    public void heapOrder(Blackhole bh) {
        HeapOrder o = new HeapOrder(payload);
        bh.consume(o);
        bh.consume(o.id());
    }
}
