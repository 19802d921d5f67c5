package org.slab4j.internal.report;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slab4j.internal.slab.Kthread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the periodic work of every allocator's {@link Reporter} (reports, MBean refreshes) on one daemon thread
 * ({@code slab4j-report}), started on first use. Each task holds its reporter weakly, so an allocator dropped without
 * {@code close()} is not kept reachable by its tasks; a task ends when its allocator is closed or collected. A failing
 * run (also one that fails with a {@code LinkageError} or an {@code OutOfMemoryError}) is logged and the next one runs
 * as usual.
 */
final class ReportScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(ReportOutput.TEXT_LOGGER);

    private ReportScheduler() {}

    private static final class Executor {
        static final ScheduledThreadPoolExecutor INSTANCE = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, Kthread.factory("slab4j-report"));
            e.setRemoveOnCancelPolicy(true);
            return e;
        }
    }

    /** One periodic task of one allocator. */
    static final class Periodic implements Runnable {
        private final WeakReference<Reporter> reporter;
        private final Consumer<Reporter> action;
        private final String what;
        private volatile ScheduledFuture<?> future;

        private Periodic(Reporter reporter, Consumer<Reporter> action, String what) {
            this.reporter = new WeakReference<>(reporter);
            this.action = action;
            this.what = what;
        }

        @Override
        public void run() {
            Reporter r = reporter.get();
            if (r == null || r.isClosed()) {
                cancel();
                return;
            }
            try {
                action.accept(r);
            } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
                // A task that throws is never run again: an Error of the logging backend (a class its appender needs
                // is missing) or a moment without memory must not end the reports for good.
                if (r.isClosed()) {
                    cancel(); // closed while reading
                } else {
                    LOG.warn(
                            "slab4j: the periodic report of allocator '{}' failed; the next runs as usual",
                            r.allocator(),
                            e);
                }
            }
        }

        /** Stops the task; it may be running now, and then finishes that run. */
        void cancel() {
            ScheduledFuture<?> f = future;
            if (f != null) {
                f.cancel(false);
            }
        }
    }

    /**
     * Runs {@code action} on {@code r} every {@code interval}, first after one interval.
     *
     * @param what what the action does, for the log line of a failed run
     */
    static Periodic every(Reporter r, Duration interval, Consumer<Reporter> action, String what) {
        Periodic p = new Periodic(r, action, what);
        long nanos = interval.toNanos();
        p.future = Executor.INSTANCE.scheduleAtFixedRate(p, nanos, nanos, TimeUnit.NANOSECONDS);
        return p;
    }
}
