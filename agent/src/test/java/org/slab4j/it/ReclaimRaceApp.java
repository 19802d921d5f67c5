package org.slab4j.it;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import org.slab4j.Slabs;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;

/**
 * Makes and frees {@code TRACKED} instances in hot loops on two threads, on a small heap, for {@code args[0]} ms, so that collections run while compiled code
 * frees: an instance that the JIT considers dead during its own free must not be reclaimed as lost as well. Prints the
 * type's counts, or the first failure.
 */
public final class ReclaimRaceApp {
    private ReclaimRaceApp() {}

    /** A tracked type: each instance has a phantom reference until freed. */
    @Slab(name = "reclaim-race", size = 16, release = Slab.Release.TRACKED)
    static final class Racer {
        @SlabSegment
        MemorySegment mem;

        Racer(long value) {
            mem.set(JAVA_LONG, 0, value);
        }
    }

    /** Instances each thread makes at least, so that the race is exercised whatever the machine's load. */
    static final long MIN_PER_THREAD = 500_000;

    public static void main(String[] args) throws InterruptedException {
        long millis = Long.parseLong(args[0]);
        long[] made = new long[2];
        String[] failure = new String[1];
        Thread[] threads = new Thread[made.length];
        for (int t = 0; t < threads.length; t++) {
            int me = t;
            threads[t] = Thread.ofPlatform().start(() -> {
                long end = System.nanoTime() + millis * 1_000_000;
                long n = 0;
                try {
                    // Time for young collections to race the frees, and a floor of work however busy the machine is.
                    while (System.nanoTime() < end || n < MIN_PER_THREAD) {
                        for (int i = 0; i < 10_000; i++, n++) {
                            Racer r = new Racer(n);
                            if (r.mem.get(JAVA_LONG, 0) != n) {
                                throw new IllegalStateException("racer " + n + " reads " + r.mem.get(JAVA_LONG, 0));
                            }
                            Slabs.free(r);
                        }
                    }
                } catch (RuntimeException e) {
                    failure[0] = e.toString();
                }
                made[me] = n;
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure[0] != null) {
            System.out.println("FAILED: " + failure[0]);
        }
        Slabs.TypeStats stats = Slabs.stats(Racer.class);
        long total = made[0] + made[1];
        System.out.println("made=" + total + " allocations=" + stats.allocations() + " frees=" + stats.frees()
                + " leaks=" + stats.leaks() + " live=" + stats.live());
    }
}
