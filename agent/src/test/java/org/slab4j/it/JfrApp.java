package org.slab4j.it;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordingStream;
import org.slab4j.it.Fixtures.Point;

/**
 * Runs under a recording started with the agent jar's {@code slab4j.jfc}: allocates 2000 {@link Point}s, then waits
 * until the periodic {@code org.slab4j.CacheStatistics} event has been emitted (a stream that enables nothing of its own
 * sees it only if the settings file turned it on), and exits; {@link JfrIT} runs it.
 */
public final class JfrApp {
    private JfrApp() {}

    public static void main(String[] args) throws Exception {
        List<Point> kept = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            kept.add(new Point());
        }
        CountDownLatch seen = new CountDownLatch(1);
        try (RecordingStream stream = new RecordingStream()) {
            stream.onEvent("org.slab4j.CacheStatistics", e -> seen.countDown());
            stream.startAsync();
            if (!seen.await(1, TimeUnit.MINUTES)) {
                System.out.println("no org.slab4j.CacheStatistics event within a minute");
                System.exit(3);
            }
        }
        System.out.println("done with " + kept.size() + " points");
    }
}
