package org.slab4j.internal.slab;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic {@code cache_reap} work item: a daemon thread per allocator that calls {@link SlabSystem#cacheReap()}
 * every {@code REAPTIMEOUT_AC} (2 s by default).
 *
 * <p>It holds its allocator weakly, so an allocator that is dropped without {@code close()} does not stay reachable
 * through its reaper; the thread ends when the allocator is closed or collected. A failing pass is logged and the
 * next one runs as usual: the reaper never dies of one bad pass. Nor does an interrupt stop it (it ends with its
 * allocator): it is cleared, as the JDK's cleaner thread ignores one, since an interrupt left set makes every later
 * {@code parkNanos} return at once and the reaper would run its passes back to back.
 */
final class Reaper implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger("org.slab4j.reaper");
    private static final AtomicInteger COUNT = new AtomicInteger();

    private final WeakReference<SlabSystem> system;
    private final long intervalNanos;

    private Reaper(SlabSystem system, long intervalMillis) {
        this.system = new WeakReference<>(system);
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    static Thread start(SlabSystem system, long intervalMillis) {
        Thread t = Kthread.create("slab4j-reaper-" + COUNT.incrementAndGet(), new Reaper(system, intervalMillis));
        t.start();
        return t;
    }

    @Override
    public void run() {
        while (true) {
            LockSupport.parkNanos(this, intervalNanos);
            Thread.interrupted(); // see the class comment
            SlabSystem s = system.get();
            if (s == null || s.isClosed()) {
                return;
            }
            try {
                s.cacheReap();
            } catch (RuntimeException e) {
                LOG.warn("slab4j reaper: a reap pass failed; the next pass runs as usual", e);
            }
        }
    }
}
