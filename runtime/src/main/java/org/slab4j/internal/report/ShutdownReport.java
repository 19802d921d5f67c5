package org.slab4j.internal.report;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.slab4j.internal.slab.Kthread;

/**
 * Logs one last report of every allocator built with {@code reportAtExit}, from a single JVM shutdown hook
 * ({@code slab4j-exit-report}) installed when the first such allocator is built, through {@link ReportOutput#atExit}
 * (never lost). Allocators are held weakly, and closed ones are skipped (and dropped when they close).
 */
final class ShutdownReport {
    private static final List<WeakReference<Reporter>> REPORTERS = new ArrayList<>();
    private static boolean hooked;

    private ShutdownReport() {}

    static synchronized void add(Reporter r) {
        REPORTERS.removeIf(w -> w.get() == null);
        REPORTERS.add(new WeakReference<>(r));
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(Kthread.shutdownHook("slab4j-exit-report", ShutdownReport::reportAll));
            hooked = true;
        }
    }

    static synchronized void remove(Reporter r) {
        REPORTERS.removeIf(w -> w.get() == null || w.get() == r);
    }

    /** @return the allocators the hook would report now: those still reachable and not closed */
    static synchronized List<Reporter> live() {
        List<Reporter> out = new ArrayList<>();
        for (WeakReference<Reporter> w : REPORTERS) {
            Reporter r = w.get();
            if (r != null && !r.isClosed()) {
                out.add(r);
            }
        }
        return out;
    }

    /** What the hook runs: one report of every live allocator; one that fails does not stop the others. */
    static void reportAll() {
        for (Reporter r : live()) {
            try {
                r.reportAtExit();
            } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
                // at exit the logging may be gone (its classes too): standard error
                System.err.println("slab4j: the exit report of allocator '" + r.allocator() + "' failed: " + e);
            }
        }
    }
}
