package org.slab4j.internal.type;

import java.lang.foreign.MemorySegment;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.slab4j.SlabAllocator;
import org.slab4j.SlabOutOfMemoryException;
import org.slab4j.internal.slab.Kthread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reclaims the segments of watched instances (every instance of a {@link org.slab4j.annotation.Slab.Release#TRACKED}
 * type, a sample of a {@code SAMPLED} type's) that became unreachable without being freed: one phantom reference per
 * watched instance, and a daemon thread that frees the segment once the reference is enqueued and counts a leak at the
 * instance's site (and logs the first leak of each site of a {@code SAMPLED} type).
 *
 * <p>Notation: the free of an instance finds its {@link Tracked} reference in one of two ways. A {@code TRACKED} class
 * (every instance watched) has a {@code slab4j$watch} field, added by the agent (see {@link SlabType#WATCH_FIELD}),
 * that holds it. Other classes have no such field, which would cost every instance 8 heap bytes: the reference of a
 * watched instance is in {@link #BY_ADDRESS}, keyed by its segment's address, and {@link #WATCHED} counts those by a
 * hash of the address, so that the free of an instance that is not watched (most of a sampled type's) costs one read
 * of that table rather than a look-up in the map. The references must stay reachable until enqueued: each is linked
 * into one of {@link #STRIPES} doubly linked rings (chosen by the watching thread's id), whose sentinel's monitor
 * guards the links of the ring.
 *
 * <p>Invariants: a reference is linked from {@link #track} until {@link #unlink} takes it out, once, either on the
 * explicit free (which clears it first, while the instance is still reachable, so it is never enqueued) or on the
 * reclaimer's thread after it was enqueued (the instance is gone, so nothing frees it explicitly any more).
 *
 * <p>The same thread runs what is to happen once a type is unreachable ({@link #whenUnreachable}). It lives as long as
 * the JVM: an interrupt (an application interrupting every thread of its group) is ignored, as the JDK's cleaner
 * thread ignores one, since no other thread would reclaim lost instances or retire the types of unloaded classes.
 */
final class Reclaimer {
    private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();
    private static final Logger LEAKS = LoggerFactory.getLogger("org.slab4j.leaks");
    private static final int STRIPES = 16;
    /** Watched instances of classes without a watch field, by their segment's address. */
    private static final ConcurrentHashMap<Long, Tracked> BY_ADDRESS = new ConcurrentHashMap<>();

    private static final int WATCHED_BITS = 16;
    /** Entries of {@link #BY_ADDRESS} by {@link #bucket}: incremented after a put, decremented after a remove. */
    private static final AtomicIntegerArray WATCHED = new AtomicIntegerArray(1 << WATCHED_BITS);

    /** {@link #reclaimFor} sleeps at most this often, 1 ms doubling (511 ms in all), as {@code java.nio.Bits} does. */
    private static final int MAX_SLEEPS = 9;

    /** The rings' sentinels, by stripe. */
    private static final Tracked[] RINGS = new Tracked[STRIPES];
    /** The references of {@link #whenUnreachable}, kept until enqueued. */
    private static final Set<Retired> RETIRING = ConcurrentHashMap.newKeySet();

    static {
        for (int i = 0; i < STRIPES; i++) {
            Tracked sentinel = new Tracked(null, null, null, null);
            sentinel.prev = sentinel;
            sentinel.next = sentinel;
            RINGS[i] = sentinel;
        }
        Kthread.create("slab4j-reclaimer", Reclaimer::drain).start();
    }

    private Reclaimer() {}

    /** Watches a new instance: links a reference to it and puts the reference where its free finds it. */
    static void track(Object instance, MemorySegment segment, SlabType type, Site site) {
        Tracked tracked = new Tracked(instance, segment, type, site);
        Tracked ring = RINGS[(int) Thread.currentThread().threadId() & (STRIPES - 1)];
        synchronized (ring) {
            tracked.ring = ring;
            tracked.next = ring.next;
            tracked.prev = ring;
            ring.next.prev = tracked;
            ring.next = tracked;
        }
        if (type.hasWatchField()) {
            type.setWatch(instance, tracked);
        } else {
            BY_ADDRESS.put(segment.address(), tracked);
            WATCHED.incrementAndGet(bucket(segment.address()));
        }
    }

    private static int bucket(long address) {
        return (int) ((address * 0x9E3779B97F4A7C15L) >>> (64 - WATCHED_BITS));
    }

    /**
     * Ends the watch of an instance whose segment its caller took out of it (so the caller is its one freer).
     *
     * @return the site of a watched instance, or {@code null}
     */
    static Site untrack(Object instance, MemorySegment segment, SlabType type) {
        Tracked tracked;
        if (type.hasWatchField()) {
            tracked = (Tracked) type.watch(instance);
            if (tracked == null) {
                return null;
            }
            type.setWatch(instance, null);
        } else {
            tracked = WATCHED.get(bucket(segment.address())) == 0 ? null : unmap(segment.address());
            if (tracked == null) {
                return null;
            }
        }
        tracked.clear();
        unlink(tracked);
        return tracked.site;
    }

    /** @return the reference of a segment's address, taken out of {@link #BY_ADDRESS}, or {@code null} */
    private static Tracked unmap(long address) {
        Tracked tracked = BY_ADDRESS.remove(address);
        if (tracked != null) {
            WATCHED.decrementAndGet(bucket(address));
        }
        return tracked;
    }

    /** @return whether this call took the reference out of its ring (false if it was out already) */
    private static boolean unlink(Tracked tracked) {
        synchronized (tracked.ring) {
            if (tracked.next == null) {
                return false;
            }
            tracked.prev.next = tracked.next;
            tracked.next.prev = tracked.prev;
            tracked.next = null;
            tracked.prev = null;
            return true;
        }
    }

    /**
     * Runs {@code action} on the reclaimer's thread once {@code referent} is unreachable; {@code action} must not refer to
     * {@code referent}.
     */
    static void whenUnreachable(Object referent, Runnable action) {
        RETIRING.add(new Retired(referent, action));
    }

    private static void drain() {
        boolean freed = false;
        while (true) {
            try {
                Reference<?> enqueued = QUEUE.poll();
                if (enqueued == null) {
                    if (freed) {
                        // Idle now: give back what this thread's frees cached, as any thread going idle should
                        // (SlabAllocator.drainCurrentThread), or reclaimed objects sit in its arrays while other
                        // threads run out of memory.
                        freed = false;
                        try {
                            SlabAllocator.global().drainCurrentThread();
                        } catch (IllegalStateException e) {
                            // the allocator is closed: nothing is cached any more
                        }
                    }
                    enqueued = QUEUE.remove();
                }
                freed |= reclaim(enqueued);
            } catch (InterruptedException e) {
                // not a request to stop: see the class comment
            }
        }
    }

    /**
     * Does what an enqueued reference stands for: frees the segment of a lost instance (unless its free came first) and
     * counts the leak, or runs a {@link #whenUnreachable} action; on the reclaimer's thread.
     *
     * @return whether a segment was freed
     */
    private static boolean reclaim(Reference<?> enqueued) {
        try {
            if (enqueued instanceof Retired retired) {
                RETIRING.remove(retired);
                retired.action.run();
                return false;
            }
            Tracked tracked = (Tracked) enqueued;
            if (!unlink(tracked)) {
                return false;
            }
            if (!tracked.type.hasWatchField()) {
                unmap(tracked.segment.address());
            }
            tracked.type.cache().free(tracked.segment);
            // The site first: whoever sees the type's count move sees the site's too.
            boolean first = tracked.site.leaks.sum() == 0;
            tracked.site.leaks.increment();
            tracked.type.leaks.increment();
            if (first && !tracked.type.tracked()) {
                LEAKS.warn(
                        "LEAK: an instance of {} made at {} became unreachable without Slabs.free or close();"
                                + " its segment is reclaimed. Later leaks of this site are counted in"
                                + " Slabs.stats, not logged (option leaks: sample, all or off)",
                        tracked.type.type().getName(),
                        tracked.site.location());
            }
            return true;
        } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
            // The reclaimer's thread is the only one that reclaims: one failure must not end it.
            System.err.println("[slab4j] cannot reclaim a lost instance's segment: " + e);
            return false;
        }
    }

    /**
     * The slow path of an allocation of a type that watches its instances, which the memory limit (or the operating
     * system) refused: the segments of its instances lost without a free may be all that holds the memory, and only a
     * collection gives them back. As {@code java.nio.Bits.reserveMemory} does for direct buffers, runs
     * {@link System#gc()} and retries, sleeping between tries (at most {@link #MAX_SLEEPS} times, 1 ms doubling) while
     * the reclaimer's thread frees what the collector enqueued. The reclaiming stays on that thread: this one may be
     * inside the allocator (a cache constructor that makes a {@code @Slab} instance, under a stripe's lock), where a
     * class-unload action's {@code destroy} would wait for {@code slab_mutex} while a {@code destroy} holding it waits
     * for that stripe.
     *
     * @return the segment, or {@code null} if the allocation still fails after the last wait
     */
    static MemorySegment reclaimFor(SlabType type) {
        System.gc();
        boolean interrupted = false;
        try {
            long sleep = 1;
            for (int sleeps = 0; ; sleeps++) {
                MemorySegment segment = tryAllocate(type);
                if (segment != null || sleeps == MAX_SLEEPS) {
                    return segment;
                }
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    interrupted = true; // kept for the caller; the wait goes on, bounded
                }
                sleep <<= 1;
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static MemorySegment tryAllocate(SlabType type) {
        try {
            return type.allocate();
        } catch (SlabOutOfMemoryException e) {
            return null;
        }
    }

    private static final class Tracked extends PhantomReference<Object> {
        final MemorySegment segment;
        final SlabType type;
        final Site site;
        /** The ring's sentinel, set before the reference is linked; its neighbours, guarded by that sentinel. */
        Tracked ring;

        Tracked prev;
        Tracked next;

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
