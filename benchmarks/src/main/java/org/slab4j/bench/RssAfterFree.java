package org.slab4j.bench;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slab4j.KmemCache;
import org.slab4j.SlabAllocator;

/**
 * The process's resident memory after spikes that are freed whole: each cycle fills 512 MiB of 2 KiB objects, frees
 * them, shrinks the cache and prints the peak RSS, the RSS after, and the allocator's mapped bytes. The allocator gives
 * every free chunk back at once (mapped bytes fall to one chunk), through FFM's {@code Arena}, which frees into the C
 * library, asking for each chunk so that glibc maps and unmaps it on its own (docs/runtime.md, <b>Memory</b>). From the
 * project root after {@code mvn -q -DskipTests package}:
 *
 * <pre>{@code
 * java -Xmx256m -cp benchmarks/target/benchmarks.jar org.slab4j.bench.RssAfterFree 4
 * }</pre>
 */
public final class RssAfterFree {
    private static final int OBJECT = 2048;
    private static final int PER_SPIKE = (512 << 20) / OBJECT;

    private RssAfterFree() {}

    /** @param args the number of cycles (default 4) */
    public static void main(String[] args) throws IOException {
        int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        try (SlabAllocator slab = SlabAllocator.builder()
                .reapInterval(Duration.ZERO)
                .reportInterval(Duration.ZERO)
                .reportAtExit(false)
                .build()) {
            KmemCache cache = slab.createCache("spike", OBJECT);
            List<MemorySegment> held = new ArrayList<>(PER_SPIKE);
            for (int cycle = 1; cycle <= cycles; cycle++) {
                for (int i = 0; i < PER_SPIKE; i++) {
                    MemorySegment o = cache.alloc();
                    o.fill((byte) 1); // touched, so resident
                    held.add(o);
                }
                long peak = rssMiB();
                held.forEach(cache::free);
                held.clear();
                cache.shrink();
                System.out.printf(
                        "cycle %d: RSS %d MiB at the peak, %d MiB after the free; mapped %d MiB%n",
                        cycle, peak, rssMiB(), slab.mappedBytes() >> 20);
            }
        }
    }

    private static long rssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) >> 10;
            }
        }
        return -1;
    }
}
