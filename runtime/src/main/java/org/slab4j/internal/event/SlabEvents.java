package org.slab4j.internal.event;

/**
 * Commits the slab4j JFR events (category "slab4j", names {@code org.slab4j.CacheCreate}, {@code CacheDestroy},
 * {@code SlabGrow}, {@code SlabDestroy}, {@code Reap}). Every event is disabled unless a recording enables it: {@code recording.enable("org.slab4j.SlabGrow")},
 * or a {@code .jfc} settings file that sets {@code enabled} to {@code true} for it.
 * Each method costs a check of a flag when its event is off (the event object does not escape, so the JIT removes
 * it); call them on slow paths only, never per object.
 */
public final class SlabEvents {
    private SlabEvents() {}

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
        SlabGrowEvent e = new SlabGrowEvent();
        if (e.shouldCommit()) {
            e.cache = cache;
            e.node = node;
            e.order = order;
            e.commit();
        }
    }

    /** A slab of {@code 2^order} pages on {@code node} was destroyed and its pages freed ({@code slab_destroy}). */
    public static void slabDestroy(String cache, int node, int order) {
        SlabDestroyEvent e = new SlabDestroyEvent();
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
