package org.slab4j.bench;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.slab4j.KmemCache;
import org.slab4j.SlabAllocator;

/**
 * Frees that come back in another order than the objects went out, and a fast path among many threads.
 *
 * <ul>
 *   <li>{@code inOrder} and {@code randomOrder}: 4,096 64-byte objects allocated, then freed in allocation order or in
 *       a random order (a fixed permutation); the score is per object (one allocation and one free). The ratio of the
 *       two is what a free that finds its slab from any address costs over one that follows the previous free.
 *   <li>{@code crowded}: one allocation and one free by the JMH thread while {@code threads} other platform threads
 *       that used the same cache stay alive (more than the 256 slots of a table indexed by thread id, so ids collide).
 * </ul>
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar FreeOrderBenchmark -prof gc
 * }</pre>
 */
public class FreeOrderBenchmark extends BenchmarkBase {
    static final int OBJECTS = 4096;

    /** A 64-byte cache, the objects of one round and a random permutation of their indices. */
    @State(Scope.Thread)
    public static class Objects {
        SlabAllocator allocator;
        KmemCache cache;
        final MemorySegment[] held = new MemorySegment[OBJECTS];
        final int[] permutation = new int[OBJECTS];

        @Setup
        public void setUp() {
            allocator = SlabAllocator.builder().build();
            cache = allocator.createCache("order-64", OBJECT_SIZE);
            for (int i = 0; i < OBJECTS; i++) {
                permutation[i] = i;
            }
            SplittableRandom random = new SplittableRandom(42);
            for (int i = OBJECTS - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = permutation[i];
                permutation[i] = permutation[j];
                permutation[j] = t;
            }
        }

        @TearDown
        public void tearDown() {
            allocator.close();
        }
    }

    /** A 64-byte cache that {@code threads} other live platform threads have used. */
    @State(Scope.Thread)
    public static class Crowd {
        @Param({"300"})
        int threads;

        SlabAllocator allocator;
        KmemCache cache;
        final CountDownLatch end = new CountDownLatch(1);
        final List<Thread> crowd = new ArrayList<>();

        @Setup
        public void setUp() throws InterruptedException {
            allocator = SlabAllocator.builder().build();
            cache = allocator.createCache("crowded-64", OBJECT_SIZE);
            CountDownLatch used = new CountDownLatch(threads);
            for (int i = 0; i < threads; i++) {
                crowd.add(Thread.ofPlatform().daemon().start(() -> {
                    cache.free(cache.alloc());
                    used.countDown();
                    try {
                        end.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            used.await();
            cache.free(cache.alloc());
        }

        @TearDown
        public void tearDown() throws InterruptedException {
            end.countDown();
            for (Thread t : crowd) {
                t.join();
            }
            allocator.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(OBJECTS)
    public long inOrder(Objects o) {
        long sum = allocAll(o);
        for (int i = 0; i < OBJECTS; i++) {
            o.cache.free(o.held[i]);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(OBJECTS)
    public long randomOrder(Objects o) {
        long sum = allocAll(o);
        for (int i = 0; i < OBJECTS; i++) {
            o.cache.free(o.held[o.permutation[i]]);
        }
        return sum;
    }

    private long allocAll(Objects o) {
        long sum = 0;
        for (int i = 0; i < OBJECTS; i++) {
            MemorySegment m = o.cache.alloc();
            sum += writeAndRead(m);
            o.held[i] = m;
        }
        return sum;
    }

    @Benchmark
    public long crowded(Crowd c) {
        return allocUseFree(c.cache);
    }
}
