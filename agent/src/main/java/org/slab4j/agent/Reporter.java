package org.slab4j.agent;

import java.time.Duration;
import org.slab4j.Slabs;

/** Prints {@link Slabs#report()} to standard error at a fixed interval, on a daemon thread. */
final class Reporter {
    private Reporter() {}

    static void start(Duration interval) {
        Thread thread = new Thread(
                () -> {
                    try {
                        while (true) {
                            Thread.sleep(interval);
                            System.err.print("[slab4j-agent] report\n" + Slabs.report());
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "slab4j-report");
        thread.setDaemon(true);
        thread.start();
    }
}
