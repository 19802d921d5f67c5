package org.slab4j.internal.type;

import java.lang.foreign.MemorySegment;
import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reclaims the segments of {@link org.slab4j.annotation.Slab.Release#TRACKED} instances that became unreachable
 * without being freed: one phantom reference per live instance, keyed by its segment's address, and a daemon thread
 * that frees the segment once the reference is enqueued and counts a leak at the instance's site.
 */
final class Reclaimer {
    private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();
    private static final ConcurrentHashMap<Long, Tracked> LIVE = new ConcurrentHashMap<>();

    static {
        Thread daemon = new Thread(Reclaimer::drain, "slab4j-reclaimer");
        daemon.setDaemon(true);
        daemon.start();
    }

    private Reclaimer() {}

    static void track(Object instance, MemorySegment segment, SlabType type, Site site) {
        LIVE.put(segment.address(), new Tracked(instance, segment, type, site));
    }

    /** @return the tracking record of a segment being freed explicitly, or {@code null} */
    static Site untrack(MemorySegment segment) {
        Tracked tracked = LIVE.remove(segment.address());
        if (tracked == null) {
            return null;
        }
        tracked.clear();
        return tracked.site;
    }

    private static void drain() {
        while (true) {
            try {
                Tracked tracked = (Tracked) QUEUE.remove();
                if (LIVE.remove(tracked.segment.address(), tracked)) {
                    tracked.type.cache().free(tracked.segment);
                    tracked.type.leaks.increment();
                    tracked.site.leaks.increment();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                System.err.println("[slab4j] cannot reclaim a lost instance's segment: " + e);
            }
        }
    }

    private static final class Tracked extends PhantomReference<Object> {
        final MemorySegment segment;
        final SlabType type;
        final Site site;

        Tracked(Object instance, MemorySegment segment, SlabType type, Site site) {
            super(instance, QUEUE);
            this.segment = segment;
            this.type = type;
            this.site = site;
        }
    }
}
