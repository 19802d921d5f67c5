package org.slab4j.bench;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.slab4j.KmemCache;

/**
 * The run settings every slab4j benchmark inherits (JMH reads these annotations on superclasses too), and the value
 * its methods write into each object.
 *
 * <p>Time per operation in nanoseconds; one fork of 3 warmup and 5 measurement iterations of one second each, which
 * the command line overrides with {@code -f}, {@code -wi}, {@code -i}, {@code -w} and {@code -r}. Each fork runs with:
 *
 * <ul>
 *   <li>{@code --enable-native-access=ALL-UNNAMED}: slab4j and the {@code malloc} baseline call native code;
 *   <li>{@code -Xms1g -Xmx1g -XX:+AlwaysPreTouch}: a small heap, touched before the first iteration, so that the heap
 *       baselines do not pay for the first touch of fresh memory (very noisy in virtual machines);
 *   <li>{@code -Dio.netty.allocator.useCacheForAllThreads=true}: Netty's pooled allocator gives the JMH threads the
 *       per-thread cache it otherwise keeps for its own event-loop threads, as slab4j's threads get array caches;
 *   <li>{@code -Dio.netty.leakDetection.level=disabled}: no sampled leak tracking of Netty buffers, as in Netty's own
 *       microbenchmarks; slab4j has no such tracking either.
 * </ul>
 *
 * <p>Any {@code -jvmArgsAppend} given on the command line replaces this list: repeat what you need of it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {
            "--enable-native-access=ALL-UNNAMED",
            "-Xms1g",
            "-Xmx1g",
            "-XX:+AlwaysPreTouch",
            "-Dio.netty.allocator.useCacheForAllThreads=true",
            "-Dio.netty.leakDetection.level=disabled"
        })
public abstract class BenchmarkBase {
    /** The size of every object allocated. */
    static final int OBJECT_SIZE = 64;

    /** The value written into every object; not final, so that the JIT cannot fold it. */
    long payload = 0x51AB_4A11_0C0B_1EC7L;

    /** One allocation, its use and its free: the slab4j operation measured in several classes. */
    long allocUseFree(KmemCache cache) {
        MemorySegment object = cache.alloc();
        long value = writeAndRead(object);
        cache.free(object);
        return value;
    }

    /** Writes {@link #payload} into the object's first word and reads it back: the use every method makes. */
    long writeAndRead(MemorySegment object) {
        object.set(JAVA_LONG, 0, payload);
        return object.get(JAVA_LONG, 0);
    }
}
