package org.slab4j.internal.event;

import jdk.jfr.EventType;

/**
 * Commits the slab4j JFR events (category "slab4j", names {@code org.slab4j.CacheCreate}, {@code CacheDestroy},
 * {@code SlabGrow}, {@code SlabDestroy}, {@code Reap}). Every event is disabled unless a recording enables it: {@code recording.enable("org.slab4j.SlabGrow")},
 * or a {@code .jfc} settings file that sets {@code enabled} to {@code true} for it.
 * Each method costs a check of a flag when its event is off (the event object does not escape, so the JIT removes
 * it); call them on slow paths only, never per object.
 */
public final class SlabEvents {
    /** The most {@code org.slab4j.AllocationSample} events a second (JFR's {@code @Throttle} needs JDK 25). */
    public static final int SAMPLES_PER_SECOND = 100;

    private static final long SAMPLE_PERIOD_NANOS = 1_000_000_000L / SAMPLES_PER_SECOND;
    /** When the next allocation sample may be taken; racy updates only let a few extra samples through. */
    private static volatile long nextSample;

    private static final EventType ALLOCATION_SAMPLE = EventType.getEventType(AllocationSampleEvent.class);

    private SlabEvents() {}

    /**
     * @return whether to take an allocation sample now: a recording enables {@code org.slab4j.AllocationSample} and
     *     the last sample is at least {@code 1 / SAMPLES_PER_SECOND} old (a flag check when the event is off)
     */
    public static boolean sampleAllocation() {
        if (!ALLOCATION_SAMPLE.isEnabled()) {
            return false;
        }
        long now = System.nanoTime();
        if (now - nextSample < 0) {
            return false;
        }
        nextSample = now + SAMPLE_PERIOD_NANOS;
        return true;
    }

    /** A {@code @Slab} instance got its segment at {@code site}; call when {@link #sampleAllocation()} says so. */
    public static void allocationSample(String type, String cache, String site, long objectSize) {
        AllocationSampleEvent e = new AllocationSampleEvent();
        if (e.shouldCommit()) {
            e.type = type;
            e.cache = cache;
            e.site = site;
            e.objectSize = objectSize;
            e.commit();
        }
    }

    /** A cache was created ({@code kmem_cache_create}; not for an alias). */
    public static void cacheCreate(String cache, long objectSize, long size) {
        CacheCreateEvent e = new CacheCreateEvent();
        if (e.shouldCommit()) {
            e.cache = cache;
            e.objectSize = objectSize;
            e.size = size;
            e.commit();
        }
    }

    /** A cache was destroyed ({@code kmem_cache_destroy} of its last handle). */
    public static void cacheDestroy(String cache) {
        CacheDestroyEvent e = new CacheDestroyEvent();
        if (e.shouldCommit()) {
            e.cache = cache;
            e.commit();
        }
    }

    /** A slab of {@code 2^order} pages was grown on {@code node} ({@code cache_grow}). */
    public static void slabGrow(String cache, int node, int order) {
        commit(new SlabGrowEvent(), cache, node, order);
    }

    /** A slab of {@code 2^order} pages on {@code node} was destroyed and its pages freed ({@code slab_destroy}). */
    public static void slabDestroy(String cache, int node, int order) {
        commit(new SlabDestroyEvent(), cache, node, order);
    }

    private static void commit(SlabPagesEvent e, String cache, int node, int order) {
        if (e.shouldCommit()) {
            e.cache = cache;
            e.node = node;
            e.order = order;
            e.commit();
        }
    }

    /** The reaper freed {@code slabsFreed} free slabs of {@code cache} on {@code node} ({@code cache_reap}). */
    public static void reap(String cache, int node, long slabsFreed) {
        ReapEvent e = new ReapEvent();
        if (e.shouldCommit()) {
            e.cache = cache;
            e.node = node;
            e.slabsFreed = slabsFreed;
            e.commit();
        }
    }
}
