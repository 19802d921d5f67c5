package org.slab4j.it;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import org.slab4j.Slabs;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;

/**
 * Compiled code that uses a watched instance's segment after the instance's last use: the JIT then holds the instance
 * dead (JLS 12.6.1), and a collection in between may let the reclaimer free the segment under the code that still uses
 * it. {@code method}: an instance method reads its segment, a collection runs, and it reads the segment again.
 * {@code clone}: copies of instances that only the clone hook still holds, on three threads while collections run.
 * Prints what it saw.
 */
public final class ReachabilityApp {
    private ReachabilityApp() {}

    /**
     * A plain superclass whose copy helper clones: the agent hooks its {@code super.clone()}, but fences only the
     * methods of {@code @Slab} classes and their subclasses, so here only the hook can keep the original reachable.
     */
    static class Copyable implements Cloneable {
        Object copy() {
            try {
                return clone(); // the original is held only by the clone hook meanwhile
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** A watched type whose method reads its segment on both sides of a call that may collect. */
    @Slab(name = "reachability", size = 16, release = Slab.Release.TRACKED)
    static final class Watched extends Copyable {
        @SlabSegment
        MemorySegment mem;

        Watched(long value) {
            mem.set(JAVA_LONG, 0, value);
        }

        /** @return 0 if the segment held the same value before and after the call */
        long reread() {
            MemorySegment m = mem; // the last use of this, once compiled
            long before = m.get(JAVA_LONG, 0);
            collect();
            return before ^ m.get(JAVA_LONG, 0);
        }
    }

    /** Set once the method has been compiled: {@link #collect} then collects until the reclaimer took something. */
    private static volatile boolean armed;

    static volatile Object sink;

    /** Not inlined (the test's {@code -XX:CompileCommand}), so that arming it does not deoptimise its caller. */
    static void collect() {
        if (!armed) {
            return;
        }
        long leaks = Slabs.stats(Watched.class).leaks();
        for (int i = 0; i < 50 && Slabs.stats(Watched.class).leaks() == leaks; i++) {
            System.gc();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        if (args[0].equals("method")) {
            for (int i = 0; i < 60_000; i++) { // compiled, with collect() not armed
                Watched w = new Watched(i);
                w.reread();
                Slabs.free(w);
            }
            armed = true;
            int changed = 0;
            for (int i = 0; i < 5; i++) {
                if (new Watched(1000 + i).reread() != 0) { // never freed: watched until it is lost
                    changed++;
                }
            }
            System.out.println("method: segment changed under a running method " + changed + " of 5 times");
            return;
        }
        long[] wrong = new long[3];
        long[] made = new long[wrong.length];
        Thread[] threads = new Thread[wrong.length];
        for (int t = 0; t < threads.length; t++) {
            int me = t;
            threads[t] = Thread.ofPlatform().start(() -> {
                long end = System.nanoTime() + Long.parseLong(args[1]) * 1_000_000;
                long n = 0;
                while (System.nanoTime() < end || n < 1_000_000) {
                    for (int i = 0; i < 1000; i++, n++) {
                        Watched c = (Watched) new Watched(n + 1).copy();
                        if (c.mem.get(JAVA_LONG, 0) != n + 1) {
                            wrong[me]++;
                        }
                        Slabs.free(c);
                        sink = new byte[256]; // young collections while the hooks run
                    }
                }
                made[me] = n;
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        System.out.println(
                "clone: " + (wrong[0] + wrong[1] + wrong[2]) + " wrong copies of " + (made[0] + made[1] + made[2]));
    }
}
