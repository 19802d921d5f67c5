package org.slab4j.internal.type;

import java.lang.foreign.MemorySegment;
import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reclaims the segments of {@link org.slab4j.annotation.Slab.Release#TRACKED} instances that became unreachable
 * without being freed: one phantom reference per live instance, keyed by its segment's address, and a daemon thread
 * that frees the segment once the reference is enqueued and counts a leak at the instance's site. The same thread
 * runs what is to happen once a type is unreachable ({@link #whenUnreachable}).
 */
final class Reclaimer {
    private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();
    private static final ConcurrentHashMap<Long, Tracked> LIVE = new ConcurrentHashMap<>();
    /** The references of {@link #whenUnreachable}, kept until enqueued. */
    private static final Set<Retired> RETIRING = ConcurrentHashMap.newKeySet();

    static {
        Thread daemon = new Thread(Reclaimer::drain, "slab4j-reclaimer");
        daemon.setDaemon(true);
        daemon.start();
    }

    private Reclaimer() {}

    static void track(Object instance, MemorySegment segment, SlabType type, Site site) {
        LIVE.put(segment.address(), new Tracked(instance, segment, type, site));
    }

    /**
     * Runs {@code action} on the reclaimer's thread once {@code referent} is unreachable; {@code action} must not refer to
     * {@code referent}.
     */
    static void whenUnreachable(Object referent, Runnable action) {
        RETIRING.add(new Retired(referent, action));
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
                Object enqueued = QUEUE.remove();
                if (enqueued instanceof Retired retired) {
                    RETIRING.remove(retired);
                    retired.action.run();
                    continue;
                }
                Tracked tracked = (Tracked) enqueued;
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

    private static final class Retired extends PhantomReference<Object> {
        final Runnable action;

        Retired(Object referent, Runnable action) {
            super(referent, QUEUE);
            this.action = action;
        }
    }
}
