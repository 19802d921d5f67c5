package org.slab4j.internal.slab;

import java.lang.foreign.MemorySegment;
import org.slab4j.FreelistMode;
import org.slab4j.internal.page.PageConfig;

/**
 * {@code kmalloc}, {@code kmalloc_node}, {@code kfree} and {@code ksize} over the {@code kmalloc-*} caches
 * ({@code kmalloc_caches[]}), which {@link SlabSystem} creates at boot and never destroys.
 *
 * <p>{@code kfree} finds an object's cache from its address alone: the {@link PageMap} gives the slab, the slab its
 * cache, and the free then takes that cache's own paths. Guards: {@link #kmallocHandles} and {@link #kmallocCaches}
 * are filled together during the boot, under {@code slab_mutex}, before the allocator is published, and only read
 * afterwards.
 */
public final class Kmalloc {
    /** {@code ZERO_SIZE_PTR}: what {@code kmalloc(0)} returns; freeing it does nothing. */
    public static final MemorySegment ZERO_SIZE = MemorySegment.ofAddress(16);

    private final SlabSystem sys;
    /** {@code sys.pageMap}, kept here so that {@code kfree} reaches the page map one load sooner. */
    private final PageMap pageMap;
    /** {@code KMALLOC_MAX_SIZE}, kept so that {@code kmalloc} does not derive it on every call. */
    public final long kmallocMaxSize;
    /**
     * {@code kmalloc_caches[]} by {@link KmallocIndex}; public so that {@link org.slab4j.SlabAllocator} can hold the
     * array itself and reach a size class one load sooner (see {@link #kmalloc(CacheHandle[], SlabCache[], int,
     * boolean)}).
     */
    public final CacheHandle[] kmallocHandles = new CacheHandle[26];
    /**
     * {@code kmallocHandles[i].cache}, beside them: {@code kmalloc} loads a handle and its cache side by side instead of
     * the one after the other.
     */
    public final SlabCache[] kmallocCaches = new SlabCache[26];

    Kmalloc(SlabSystem sys, PageConfig pc) {
        this.sys = sys;
        this.pageMap = sys.pageMap;
        this.kmallocMaxSize = pc.kmallocMaxSize();
    }

    /** {@code kmalloc_slab} for the geometry's OFF_SLAB check: only caches that exist at this point of the boot. */
    Geometry.KmallocLookup.Result kmallocSlab(long size) {
        if (size > kmallocMaxSize) {
            return null;
        }
        CacheHandle h = kmallocHandles[KmallocIndex.index(size)];
        return h == null
                ? null
                : new Geometry.KmallocLookup.Result(
                        h.cache.layout.size(), h.cache.layout.mode() == FreelistMode.OFF_SLAB);
    }

    /**
     * {@code kmalloc}: an object of the smallest size class that fits.
     *
     * @return a segment {@link #ksize} bytes long, or {@link #ZERO_SIZE} for 0 bytes
     */
    public MemorySegment kmalloc(long size) {
        return kmalloc(size, false);
    }

    /**
     * {@code kzalloc}: {@link #kmalloc} with the whole object zeroed, by {@link SlabCache#zalloc}, which leaves out the
     * memset where the size class wipes its objects on free.
     */
    public MemorySegment kzalloc(long size) {
        return kmalloc(size, true);
    }

    private MemorySegment kmalloc(long size, boolean zeroed) {
        int index = kmallocIndex(size, zeroed ? "kzalloc" : "kmalloc");
        return index < 0 ? ZERO_SIZE : kmalloc(kmallocHandles, kmallocCaches, index, zeroed);
    }

    /**
     * {@code kmalloc} from size class {@code index} of the size-class arrays, which the caller passes: the
     * {@link org.slab4j.SlabAllocator} facade holds {@link #kmallocHandles} and {@link #kmallocCaches} itself, so that
     * its {@code kmalloc} reaches the class's cache without loading this object first (about 3 ns of 20 in
     * {@code AllocFreeBenchmark.slab4jKmalloc}, docs/performance.md).
     *
     * @param index {@link KmallocIndex#index} of a request of 1 to {@code KMALLOC_MAX_SIZE} bytes; any other size goes
     *     to {@link #kmalloc(long)}, which checks it
     */
    public static MemorySegment kmalloc(CacheHandle[] handles, SlabCache[] caches, int index, boolean zeroed) {
        CacheHandle h = handles[index];
        h.checkLive();
        SlabCache c = caches[index];
        return zeroed ? c.zalloc(h) : c.alloc(h);
    }

    /** {@code kmalloc_node}: as {@link #kmalloc}, from node {@code node}'s slabs. */
    public MemorySegment kmallocNode(long size, int node) {
        int index = kmallocIndex(size, "kmalloc_node");
        if (index < 0) {
            if (node < 0 || node >= sys.nodeCount) { // allocNode checks the node of every other size
                throw new IllegalArgumentException(
                        "kmalloc_node: node " + node + " does not exist (nodes 0.." + (sys.nodeCount - 1) + ")");
            }
            return ZERO_SIZE;
        }
        CacheHandle h = kmallocHandles[index];
        h.checkLive();
        return kmallocCaches[index].allocNode(h, node);
    }

    /** {@code kmalloc_index} with {@code kmalloc}'s checks: the size class of a request, or -1 for 0 bytes. */
    private int kmallocIndex(long size, String op) {
        if (size == 0) {
            sys.checkOpen(op);
            return -1;
        }
        if (size < 0 || size > kmallocMaxSize) {
            throw new IllegalArgumentException(op + ": cannot allocate " + size
                    + " bytes (the size classes go from 1 to " + kmallocMaxSize + " bytes, KMALLOC_MAX_SIZE)");
        }
        return KmallocIndex.index(size);
    }

    /**
     * {@code kfree}: frees an object of any cache, found through its page ({@link PageMap}); null and
     * {@link #ZERO_SIZE} are ignored.
     */
    public void kfree(MemorySegment object) {
        if (object == null) {
            return; // kfree(NULL)
        }
        Slab slab = pageMap.find(object.address());
        if (slab == null || !object.isNative()) {
            // No slab holds page 0, so NULL and ZERO_SIZE_PTR are among the misses: tested only here.
            if (object == ZERO_SIZE || (object.address() == 0 && object.isNative())) {
                return; // kfree(ZERO_SIZE_PTR), and a null address
            }
            slab = slabOf(object, "kfree"); // throws, saying why
        }
        SlabCache c = slab.cache;
        c.free(c.kfreeHandle(), slab, object); // virt_to_cache found the slab already: no second lookup
    }

    /** {@code ksize}: the usable size of the object's cache ({@code object_size}); 0 for {@link #ZERO_SIZE}. */
    public long ksize(MemorySegment object) {
        if (object == ZERO_SIZE) {
            sys.checkOpen("ksize"); // as kmalloc(0) and every other ksize once the allocator is closed
            return 0;
        }
        Slab slab = slabOf(object, "ksize");
        slab.cache.lookup.checkObjectStart(slab, object, "ksize");
        return slab.cache.objectSize;
    }

    /** {@code virt_to_cache}: the slab holding {@code object}, whatever its cache. */
    Slab slabOf(MemorySegment object, String op) {
        sys.checkOpen(op);
        if (object == null) {
            throw new IllegalArgumentException(op + ": null segment");
        }
        Slab slab = object.isNative() ? pageMap.find(object.address()) : null;
        if (slab == null) {
            boolean ours = object.isNative() && sys.pages.chunkOf(object.address()) != null;
            throw new IllegalArgumentException(op + ": " + ObjectLookup.describe(object)
                    + (ours
                            ? " lies on a page of this allocator that holds no slab (already freed with its slab, or"
                                    + " never allocated)"
                            : " is not an object of this allocator"));
        }
        return slab;
    }
}
