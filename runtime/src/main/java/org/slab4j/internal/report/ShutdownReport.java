package org.slab4j.internal.report;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one last report of every allocator that reports periodically, from a single JVM shutdown hook
 * ({@code slab4j-shutdown-report}) installed when the first such allocator is built. Allocators are held weakly, and
 * closed ones are skipped (and dropped when they close).
 */
final class ShutdownReport {
    private static final Logger LOG = LoggerFactory.getLogger("org.slab4j.report");
    private static final List<WeakReference<Reporter>> REPORTERS = new ArrayList<>();
    private static boolean hooked;

    private ShutdownReport() {}

    static synchronized void add(Reporter r) {
        REPORTERS.removeIf(w -> w.get() == null);
        REPORTERS.add(new WeakReference<>(r));
        if (!hooked) {
            Runtime.getRuntime()
                    .addShutdownHook(
                            Thread.ofPlatform().name("slab4j-shutdown-report").unstarted(ShutdownReport::reportAll));
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
                r.report();
            } catch (RuntimeException e) {
                LOG.warn("slab4j: the shutdown report of allocator '{}' failed", r.allocator(), e);
            }
        }
    }
}
