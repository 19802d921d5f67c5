package org.slab4j.agent;

import java.time.Duration;
import org.slab4j.Slabs;

/** Prints {@link Slabs#report()} to standard error at a fixed interval on a daemon thread, or when the JVM exits. */
final class Reporter {
    private Reporter() {}

    static void start(Duration interval) {
        Thread thread = new Thread(
                () -> {
                    try {
                        while (true) {
                            Thread.sleep(interval);
                            print();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "slab4j-report");
        thread.setDaemon(true);
        thread.start();
    }

    static void atExit() {
        Runtime.getRuntime().addShutdownHook(new Thread(Reporter::print, "slab4j-report-at-exit"));
    }

    private static void print() {
        System.err.print("[slab4j-agent] report\n" + Slabs.report());
    }
}
