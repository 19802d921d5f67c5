package org.slab4j.internal.slab;

import java.lang.foreign.MemorySegment;

/**
 * The checked side of finding an object ({@code virt_to_cache}, {@code obj_to_index}) for one {@link SlabCache}, with
 * the checks a Java caller needs and the errors that name the cache: the segment is native memory of this allocator,
 * on a slab of this cache ({@link PageMap}), at an object start, and the very segment that was handed out for that
 * object. The fast paths make the same checks in fewer loads and come here for every error.
 */
final class ObjectLookup {
    private final SlabCache cache;

    ObjectLookup(SlabCache cache) {
        this.cache = cache;
    }

    /**
     * {@code virt_to_cache} with the checks a Java caller needs: the segment must be native memory of this allocator,
     * on a page of a slab of this cache.
     */
    Slab slabOf(MemorySegment object, String op) {
        if (object == null) {
            throw new IllegalArgumentException("cache '" + cache.name + "': cannot " + op + " a null segment");
        }
        Slab slab = object.isNative() ? cache.sys.pageMap.find(object.address()) : null;
        if (slab != null && slab.cache == cache && !slab.destroyed) {
            return slab;
        }
        String why;
        if (slab != null && !slab.destroyed) {
            why = "it belongs to cache '" + slab.cache.name + "'";
        } else if (object.isNative() && cache.sys.pages.chunkOf(object.address()) != null) {
            why = "it lies on a page that holds no slab (already freed with its slab, or never allocated)";
        } else {
            why = "it was not allocated by this allocator";
        }
        throw new IllegalArgumentException(
                "cache '" + cache.name + "': cannot " + op + " " + describe(object) + ": " + why);
    }

    /**
     * @return the index of the object at {@code object}'s address, after checking it is an object start and the very
     *     segment the cache handed out for it (not a slice, a read-only view, or a segment made from the address)
     */
    int objectIndex(Slab slab, MemorySegment object, String op) {
        int idx = slab.objToIndex(object.address());
        if (idx < 0) {
            throw insideAnObject(object, op);
        }
        if (!slab.handedOut(idx, object)) {
            throw new IllegalArgumentException("cache '" + cache.name + "': cannot " + op + " " + describe(object)
                    + ": it is not the segment that was handed out for the object at that address (a slice, a"
                    + " read-only view, a segment made from the address, or one of an object freed before); pass the"
                    + " very segment that alloc returned");
        }
        return idx;
    }

    /** Checks that {@code object} starts an object of {@code slab}, naming {@code op} and the cache if not. */
    void checkObjectStart(Slab slab, MemorySegment object, String op) {
        objectIndex(slab, object, op);
    }

    IllegalStateException doubleFree(MemorySegment object) {
        return new IllegalStateException("cache '" + cache.name + "': double free of " + describe(object)
                + ": the object is already free; the second free was refused and nothing changed");
    }

    IllegalArgumentException insideAnObject(MemorySegment object, String op) {
        return new IllegalArgumentException("cache '" + cache.name + "': cannot " + op + " " + describe(object)
                + ": it points inside an object, not at its start (objects are " + cache.layout.size()
                + " bytes apart)");
    }

    static String describe(MemorySegment s) {
        return "the segment at 0x" + Long.toHexString(s.address()) + " (" + s.byteSize() + " bytes)";
    }
}
