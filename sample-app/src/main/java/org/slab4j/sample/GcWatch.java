package org.slab4j.sample;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The JVM's garbage-collection pauses, as its {@link GarbageCollectorMXBean}s announce them, kept with their start
 * time so that each phase counts the pauses that began within it. The full collections the sample asks for itself
 * ({@code System.gc()}, to measure the heap in use) are left out.
 *
 * <p>Collectors whose beans report concurrent cycles rather than pauses (ZGC's and Shenandoah's "Cycles" beans) are
 * left out too; G1's beans all report pauses (young, mixed and full collections, and the remark and cleanup pauses of
 * its concurrent cycle). The notifications come from the JVM's service thread; {@link #pauses} may be read from any
 * thread.
 */
final class GcWatch implements NotificationListener {
    /** One pause: its start in milliseconds of JVM uptime and its length in milliseconds. */
    record Pause(long start, long millis) {}

    /** The pauses of a window: how many, their total and the longest, in milliseconds. */
    record Stats(int count, long totalMillis, long longestMillis) {}

    private final List<Pause> pauses = new ArrayList<>();

    /** @return a watch listening to every collector of this JVM */
    static GcWatch start() {
        GcWatch watch = new GcWatch();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter && !gc.getName().endsWith("Cycles")) {
                emitter.addNotificationListener(watch, null, null);
            }
        }
        return watch;
    }

    /** @return milliseconds of JVM uptime, the clock of the pauses' start times */
    static long now() {
        return ManagementFactory.getRuntimeMXBean().getUptime();
    }

    @Override
    public void handleNotification(Notification n, Object handback) {
        if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
            return;
        }
        var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        if (info.getGcCause().equals("System.gc()")) {
            return;
        }
        synchronized (pauses) {
            pauses.add(
                    new Pause(info.getGcInfo().getStartTime(), info.getGcInfo().getDuration()));
        }
    }

    /**
     * Waits briefly for notifications still on their way, then sums the pauses that started in [from, to).
     *
     * @param from milliseconds of uptime, as {@link #now()} gave them
     * @param to the end of the window, exclusive
     */
    Stats between(long from, long to) throws InterruptedException {
        Thread.sleep(50); // the service thread sends notifications a little after the pause
        int count = 0;
        long total = 0;
        long longest = 0;
        synchronized (pauses) {
            for (Pause p : pauses) {
                if (p.start >= from && p.start < to) {
                    count++;
                    total += p.millis;
                    longest = Math.max(longest, p.millis);
                }
            }
        }
        return new Stats(count, total, longest);
    }
}
