package org.slab4j;

/**
 * A reading of one cache: where its objects are, and how many the handle allocated and freed. The object counts are
 * of the whole cache (shared by its aliases); {@code inUse + cached + free == total} in a quiescent cache, and
 * approximately while other threads allocate.
 *
 * @param name the handle's name
 * @param cache the name of the cache behind it, as {@link KmemCache#canonicalName()} (the handle's own, or the merge
 *     target's; once that target's own name is destroyed, its slabinfo row's)
 * @param totalObjects objects in all slabs ({@code num_objs})
 * @param inUseObjects objects handed out and not freed
 * @param cachedObjects free objects parked in per-thread, shared and alien arrays
 * @param freeObjects free objects on the slabs' freelists
 * @param slabs slabs of all nodes
 * @param slabBytes bytes of the pages of those slabs
 * @param allocations objects allocated through this handle
 * @param frees objects freed through this handle
 */
public record CacheStats(
        String name,
        String cache,
        long totalObjects,
        long inUseObjects,
        long cachedObjects,
        long freeObjects,
        long slabs,
        long slabBytes,
        long allocations,
        long frees) {}
