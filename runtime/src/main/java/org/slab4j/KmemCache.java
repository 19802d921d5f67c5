package org.slab4j;

import java.lang.foreign.MemorySegment;
import org.slab4j.internal.slab.CacheHandle;
import org.slab4j.internal.slab.SlabCache;
import org.slab4j.internal.slab.SlabSystem;
import org.slab4j.internal.type.SlabType;
import org.slab4j.internal.type.SlabTypes;

/**
 * A cache of equally sized off-heap objects: the caller's handle on a {@code struct kmem_cache}, made by
 * {@link SlabAllocator#createCache}.
 *
 * <p>Objects are {@link MemorySegment}s exactly {@link #objectSize()} bytes long, aligned as {@link #geometry()} says,
 * valid until freed or until the allocator is closed. Any thread may allocate, and any thread may free an object,
 * whichever thread allocated it. A handle whose request was merged into an existing compatible cache
 * ({@link #isAlias()}) shares that cache's slabs but keeps its own name and its own counts.
 *
 * <pre>{@code
 * KmemCache orders = allocator.createCache("order", 64, 0, Set.of(SlabFlag.HWCACHE_ALIGN), null);
 * MemorySegment o = orders.alloc();
 * o.set(ValueLayout.JAVA_LONG, 0, 42L);
 * orders.free(o);
 * }</pre>
 */
public final class KmemCache {
    /**
     * The allocator this handle came from, never read: a program that keeps only its caches keeps the allocator, whose
     * reports (periodic, at exit, JMX) hold it weakly, so that they go on as long as a cache of it is in use.
     */
    @SuppressWarnings("unused")
    private final SlabAllocator allocator;

    private final SlabSystem sys;
    private final CacheHandle handle;
    private final SlabCache cache;

    KmemCache(SlabAllocator allocator, SlabSystem sys, CacheHandle handle) {
        this.allocator = allocator;
        this.sys = sys;
        this.handle = handle;
        this.cache = handle.cache();
    }

    /** @return the name this handle was created with */
    public String name() {
        return handle.name();
    }

    /** @return the name of the cache whose slabs this handle uses: its own name, or the merge target's */
    public String canonicalName() {
        return cache.name();
    }

    /** @return whether this handle was merged into an existing cache ({@code find_mergeable}) */
    public boolean isAlias() {
        return handle.isAlias();
    }

    /**
     * Allocates an object ({@code kmem_cache_alloc}). With a constructor, the object is in its constructed state; else
     * its contents are whatever the last user left (use {@link #zalloc()} for zeroes).
     *
     * @return a segment exactly {@link #objectSize()} bytes long
     * @throws SlabOutOfMemoryException when a new slab is needed and the memory limit is reached
     * @throws IllegalStateException when the cache was destroyed or the allocator closed
     */
    public MemorySegment alloc() {
        handle.checkLive();
        return cache.alloc(handle);
    }

    /**
     * Allocates an object from node {@code node}'s slabs ({@code kmem_cache_alloc_node}). On the calling thread's home
     * node this is {@link #alloc()}; on another node it bypasses the per-thread array and takes the object straight
     * from that node's slabs, growing one there if needed; a node that cannot grow (the memory limit) takes an object
     * from another node's slabs first ({@code fallback_alloc}), as {@link #alloc()} does.
     *
     * @throws IllegalArgumentException when the node does not exist
     */
    public MemorySegment allocNode(int node) {
        handle.checkLive();
        try {
            return cache.allocNode(handle, node);
        } catch (RuntimeException e) {
            throw sys.closedOr(e, what());
        }
    }

    /**
     * Allocates a zero-filled object ({@code kmem_cache_zalloc}). A cache that wipes objects on free
     * ({@link SlabFlag#INIT_ON_FREE}, or the allocator's {@code initOnFree}) hands out an object as it is, since every
     * free object of it is already zero.
     *
     * @return a segment exactly {@link #objectSize()} bytes long, all zero
     */
    public MemorySegment zalloc() {
        handle.checkLive();
        return cache.zalloc(handle);
    }

    /**
     * Frees an object of this cache ({@code kmem_cache_free}). A cache with a constructor expects it back in its
     * constructed state.
     *
     * @param object a segment returned by {@link #alloc()} of this cache (or of another handle of the same cache)
     * @throws IllegalArgumentException when the segment is not an object of this cache: foreign memory, an object of
     *     another cache, a pointer into the middle of an object, or any segment other than the very one {@link #alloc()}
     *     returned (a slice, a read-only view, a segment made from the address); nothing is changed then
     * @throws IllegalStateException for a double free, when the handle was destroyed (an object that a caller still
     *     held when its cache was destroyed is taken back), or when the allocator is closed
     */
    public void free(MemorySegment object) {
        cache.free(handle, null, object);
    }

    /** @return the cache's geometry, as {@code __kmem_cache_create} computed it; still answers once closed */
    public SlabGeometry geometry() {
        return cache.geometry();
    }

    /** @return the length of every object segment ({@code object_size}; raised by merges, never lowered) */
    public long objectSize() {
        return cache.geometry().objectSize();
    }

    /**
     * @return where the cache's objects are, and this handle's counts
     * @throws IllegalStateException when the allocator is closed
     */
    public CacheStats stats() {
        checkOpen();
        return sys.stats(handle);
    }

    /**
     * The slabinfo "(statistics)" columns of the cache behind this handle (shared by its aliases), kept whether or not
     * slabinfo shows them ({@link SlabAllocator.Builder#statistics}); a destroyed handle still reads them.
     *
     * @throws IllegalStateException when the allocator is closed
     */
    public SlabStatistics statistics() {
        checkOpen();
        return sys.statistics(handle);
    }

    /**
     * @return objects allocated through this handle so far
     * @throws IllegalStateException when the allocator is closed
     */
    public long allocations() {
        checkOpen();
        return sys.counts(handle)[0];
    }

    /**
     * @return objects freed through this handle so far
     * @throws IllegalStateException when the allocator is closed
     */
    public long frees() {
        checkOpen();
        return sys.counts(handle)[1];
    }

    /** A destroyed handle still reads its numbers; a closed allocator has none to read. */
    private void checkOpen() {
        sys.checkOpen(what());
    }

    private String what() {
        return "cache '" + handle.name() + "'";
    }

    /**
     * Releases what can be released ({@code kmem_cache_shrink}): the calling thread's cached objects and those of
     * threads that have ended, the virtual threads' stripes, the shared and alien arrays, and then every free slab's
     * pages. Called from a cache constructor on a virtual thread, it skips the stripes that other threads hold (their
     * holders may be constructors waiting in turn; see {@link SlabCtor}).
     */
    public void shrink() {
        try {
            sys.shrink(handle);
        } catch (RuntimeException e) {
            throw sys.closedOr(e, what());
        }
    }

    /**
     * Drops this handle ({@code kmem_cache_destroy}). An alias only drops its reference; the last handle of a cache
     * frees the cache, which requires that no object is still allocated. Objects cached in other threads' arrays are
     * reclaimed: those threads must not use the cache any more.
     *
     * @throws IllegalStateException naming the cache and the number of live objects, naming one of the allocator's
     *     own caches (the kmalloc caches and {@code kmem_cache}, which cannot be destroyed), or naming the cache and the
     *     {@code @Slab} class whose cache it is (the agent's type registry owns it: every new instance of the class is
     *     allocated from it, and the registry destroys it itself once the class is unloaded); the cache is unchanged then
     */
    public void destroy() {
        Class<?> owner = slabClass();
        if (owner != null) {
            throw new IllegalStateException(what() + ": the cache of @Slab class " + owner.getName()
                    + ", which the slab4j agent owns (every new " + owner.getSimpleName() + "() is allocated from it,"
                    + " and it is destroyed once the class is unloaded), cannot be destroyed through its handle; free"
                    + " the instances (Slabs.free or close()) and call shrink() to give their memory back; nothing"
                    + " changed");
        }
        try {
            sys.destroy(handle);
        } catch (RuntimeException e) {
            throw sys.closedOr(e, what());
        }
    }

    /**
     * @return the {@code @Slab} class whose cache this handle is (whichever {@code KmemCache} object holds it), or
     *     {@code null}; a class that is gone has no type any more, so the registry can destroy its cache
     */
    private Class<?> slabClass() {
        for (SlabType type : SlabTypes.all()) {
            if (type.cache().handle == handle) {
                return type.type();
            }
        }
        return null;
    }

    /**
     * @return whether {@code o} stands for the same handle: the same {@code createCache} call (a cache destroyed and
     *     created again under its name is another)
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof KmemCache k && k.handle == handle;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(handle);
    }

    @Override
    public String toString() {
        return isAlias() ? "KmemCache[" + name() + " -> " + canonicalName() + "]" : "KmemCache[" + name() + "]";
    }
}
