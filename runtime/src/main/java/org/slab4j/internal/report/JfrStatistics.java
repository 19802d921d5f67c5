package org.slab4j.internal.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import jdk.jfr.FlightRecorder;
import org.slab4j.internal.slab.CacheReading;

/**
 * The periodic {@link CacheStatisticsEvent}: a hook JFR runs each period while a recording enables the event, that
 * reads every open allocator and commits one event per cache. Allocators join with {@link #add} when their reports
 * start and leave with {@link #remove} when they close; the hook is registered once, with the first. They are held
 * weakly, as by their other reports: an allocator dropped without {@code close()} is not kept.
 */
final class JfrStatistics {
    private static final Set<Reporter> ALLOCATORS = Collections.newSetFromMap(new WeakHashMap<>()); // guarded by it
    private static boolean hooked; // guarded by the class

    private JfrStatistics() {}

    static void add(Reporter r) {
        synchronized (JfrStatistics.class) {
            if (!hooked) {
                FlightRecorder.addPeriodicEvent(CacheStatisticsEvent.class, JfrStatistics::emit);
                hooked = true;
            }
        }
        synchronized (ALLOCATORS) {
            ALLOCATORS.add(r);
        }
    }

    static void remove(Reporter r) {
        synchronized (ALLOCATORS) {
            ALLOCATORS.remove(r);
        }
    }

    /** The hook: on JFR's periodic thread, only while a recording enables the event. */
    private static void emit() {
        List<Reporter> open;
        synchronized (ALLOCATORS) {
            open = new ArrayList<>(ALLOCATORS);
        }
        for (Reporter r : open) {
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
