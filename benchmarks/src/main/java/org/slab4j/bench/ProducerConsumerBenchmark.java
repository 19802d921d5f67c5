package org.slab4j.bench;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.lang.foreign.MemorySegment;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Control;
import org.slab4j.KmemCache;
import org.slab4j.SlabAllocator;

/**
 * 64-byte objects allocated on one thread and freed on another, for slab4j and for Netty's pooled allocator.
 *
 * <p>Each JMH group is one producer thread and one consumer thread sharing an {@link SpscRing} of
 * {@value #RING_CAPACITY} slots. The producer allocates an object, writes {@link #payload} into it and hands it over;
 * the consumer takes it, reads the value back and frees it. Both groups use the same ring, so the difference between
 * them is the allocator's, in particular what its free path does with an object that another thread allocated:
 *
 * <ul>
 *   <li>{@code slab4j}: {@link KmemCache#alloc()} on the producer, {@link KmemCache#free} on the consumer;
 *   <li>{@code netty}: {@link PooledByteBufAllocator#DEFAULT}'s {@code directBuffer(64)} on the producer,
 *       {@link ByteBuf#release()} on the consumer (per-thread pool caches on, as set by {@link BenchmarkBase}).
 * </ul>
 *
 * <p>A side that finds the ring full (or empty) spins, then yields, until it is not, or until JMH ends the iteration. The score of a
 * group is the time per object handed through it; the producer's and the consumer's own scores are shown beside it.
 *
 * <p>Run it from the project root after {@code mvn -pl benchmarks -am package -DskipTests}:
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar ProducerConsumerBenchmark -prof gc
 * }</pre>
 *
 * <p>It needs two free cores to mean anything: on a busy machine the two threads of a group take turns. The run
 * settings are those of {@link BenchmarkBase}.
 */
public class ProducerConsumerBenchmark extends BenchmarkBase {
    /** Slots in each group's hand-off ring. */
    static final int RING_CAPACITY = 1024;

    /** Failed tries a side spins through before it starts yielding its core. */
    private static final int SPINS_BEFORE_YIELD = 64;

    /** One group's slab allocator, 64-byte cache and ring. */
    @State(Scope.Group)
    public static class SlabPipe {
        SlabAllocator allocator;
        KmemCache cache;
        SpscRing<MemorySegment> ring;

        @Setup
        public void setUp() {
            allocator = SlabAllocator.builder().build();
            cache = allocator.createCache("bench-64", OBJECT_SIZE);
            ring = new SpscRing<>(RING_CAPACITY);
        }

        @TearDown
        public void tearDown() {
            for (MemorySegment object; (object = ring.poll()) != null; ) {
                cache.free(object);
            }
            allocator.close();
        }
    }

    /** One group's ring of Netty buffers. */
    @State(Scope.Group)
    public static class NettyPipe {
        SpscRing<ByteBuf> ring;

        @Setup
        public void setUp() {
            ring = new SpscRing<>(RING_CAPACITY);
        }

        @TearDown
        public void tearDown() {
            for (ByteBuf buffer; (buffer = ring.poll()) != null; ) {
                buffer.release();
            }
        }
    }

    @Benchmark
    @Group("slab4j")
    @GroupThreads(1)
    public void slab4jProduce(SlabPipe pipe, Control control) {
        MemorySegment object = pipe.cache.alloc();
        object.set(JAVA_LONG, 0, payload);
        if (!handOff(pipe.ring, object, control)) {
            pipe.cache.free(object);
        }
    }

    @Benchmark
    @Group("slab4j")
    @GroupThreads(1)
    public long slab4jConsume(SlabPipe pipe, Control control) {
        MemorySegment object = take(pipe.ring, control);
        if (object == null) {
            return 0;
        }
        long value = object.get(JAVA_LONG, 0);
        pipe.cache.free(object);
        return value;
    }

    @Benchmark
    @Group("netty")
    @GroupThreads(1)
    public void nettyProduce(NettyPipe pipe, Control control) {
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(OBJECT_SIZE);
        buffer.setLong(0, payload);
        if (!handOff(pipe.ring, buffer, control)) {
            buffer.release();
        }
    }

    @Benchmark
    @Group("netty")
    @GroupThreads(1)
    public long nettyConsume(NettyPipe pipe, Control control) {
        ByteBuf buffer = take(pipe.ring, control);
        if (buffer == null) {
            return 0;
        }
        long value = buffer.getLong(0);
        buffer.release();
        return value;
    }

    /** @return {@code false} if the iteration ended while the ring was full: the caller keeps the element */
    private static <E> boolean handOff(SpscRing<E> ring, E element, Control control) {
        for (int tries = 1; !ring.offer(element); tries++) {
            if (control.stopMeasurement) {
                return false;
            }
            backOff(tries);
        }
        return true;
    }

    /** @return the next element, or {@code null} if the iteration ended while the ring was empty */
    private static <E> E take(SpscRing<E> ring, Control control) {
        E element;
        for (int tries = 1; (element = ring.poll()) == null; tries++) {
            if (control.stopMeasurement) {
                return null;
            }
            backOff(tries);
        }
        return element;
    }

    /**
     * Waits a little before try {@code tries + 1}: spins at first, then yields the core, in case the other side of the
     * ring is not running (with two threads on two shared cores it often is not, and spinning would only keep it out).
     */
    private static void backOff(int tries) {
        if (tries < SPINS_BEFORE_YIELD) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }
}
