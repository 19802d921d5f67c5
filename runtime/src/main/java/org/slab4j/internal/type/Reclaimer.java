package org.slab4j.internal.type;

import java.lang.foreign.MemorySegment;
import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reclaims the segments of watched instances (every instance of a {@link org.slab4j.annotation.Slab.Release#TRACKED}
 * type, a sample of a {@code SAMPLED} type's) that became unreachable without being freed: one phantom reference per
 * watched instance, keyed by its segment's address, and a daemon thread that frees the segment once the reference is
 * enqueued and counts a leak at the instance's site (and logs the first leak of each site of a {@code SAMPLED} type).
 *
 * <p>{@link #WATCHED} counts the watched segments by a hash of their address, so that the free of an instance that is
 * not watched (most of a sampled type's) costs one read of it rather than a look-up in {@link #LIVE}. The same thread
 * runs what is to happen once a type is unreachable ({@link #whenUnreachable}).
 */
final class Reclaimer {
    private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();
    private static final Logger LEAKS = LoggerFactory.getLogger("org.slab4j.leaks");
    private static final ConcurrentHashMap<Long, Tracked> LIVE = new ConcurrentHashMap<>();
    private static final int WATCHED_BITS = 16;
    /** Watched segments in {@link #LIVE} by {@link #bucket}: incremented after a put, decremented after a remove. */
    private static final AtomicIntegerArray WATCHED = new AtomicIntegerArray(1 << WATCHED_BITS);
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
        WATCHED.incrementAndGet(bucket(segment.address()));
    }

    /** @return false if the segment is certainly not watched; true if it may be */
    static boolean mayWatch(MemorySegment segment) {
        return WATCHED.get(bucket(segment.address())) != 0;
    }

    private static int bucket(long address) {
        return (int) ((address * 0x9E3779B97F4A7C15L) >>> (64 - WATCHED_BITS));
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
        WATCHED.decrementAndGet(bucket(segment.address()));
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
                    WATCHED.decrementAndGet(bucket(tracked.segment.address()));
                    tracked.type.cache().free(tracked.segment);
                    tracked.type.leaks.increment();
                    if (!tracked.type.tracked() && tracked.site.leaks.sum() == 0) {
                        LEAKS.warn(
                                "LEAK: an instance of {} made at {} became unreachable without Slabs.free or close();"
                                        + " its segment is reclaimed. Later leaks of this site are counted in"
                                        + " Slabs.stats, not logged ({} = {}: watching sample, all or off)",
                                tracked.type.type().getName(),
                                tracked.site.location(),
                                LeakSampling.MODE,
                                System.getProperty(LeakSampling.MODE, "sample"));
                    }
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
