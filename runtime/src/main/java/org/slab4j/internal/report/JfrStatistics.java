package org.slab4j.internal.report;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jdk.jfr.FlightRecorder;
import org.slab4j.internal.slab.CacheReading;

/**
 * The periodic {@link CacheStatisticsEvent}: a hook JFR runs each period while a recording enables the event, that
 * reads every open allocator and commits one event per cache. Allocators join with {@link #add} when their reports
 * start and leave with {@link #remove} when they close; the hook is registered once, with the first.
 */
final class JfrStatistics {
    private static final List<Reporter> ALLOCATORS = new CopyOnWriteArrayList<>();
    private static boolean hooked; // guarded by the class

    private JfrStatistics() {}

    static void add(Reporter r) {
        synchronized (JfrStatistics.class) {
            if (!hooked) {
                FlightRecorder.addPeriodicEvent(CacheStatisticsEvent.class, JfrStatistics::emit);
                hooked = true;
            }
        }
        ALLOCATORS.add(r);
    }

    static void remove(Reporter r) {
        ALLOCATORS.remove(r);
    }

    /** The hook: on JFR's periodic thread, only while a recording enables the event. */
    private static void emit() {
        for (Reporter r : ALLOCATORS) {
            List<CacheReading> caches;
            try {
                caches = r.readCaches().caches();
            } catch (IllegalStateException e) {
                continue; // closed while we read: it is leaving
            }
            for (CacheReading c : caches) {
                CacheStatisticsEvent.emit(r.allocator(), c);
            }
        }
    }
}
