package org.slab4j.internal.slab;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slab4j.SlabStatistics;

/**
 * One reading of one cache: its slabinfo row ({@code get_slabinfo}), the objects cached in arrays, its aliases and its
 * statistics columns. Immutable; the numbers are consistent per node, and approximately so across nodes and threads
 * while other threads allocate, as in {@code /proc/slabinfo}.
 *
 * @param name the cache's name
 * @param aliases the names merged into this cache ({@code __kmem_cache_alias}), oldest first
 * @param objectSize {@code object_size}: the length of every object segment
 * @param size {@code size}: the buffer each object takes in a slab (slabinfo's {@code objsize})
 * @param objPerSlab objects per slab ({@code num})
 * @param pagesPerSlab pages per slab ({@code 1 << gfporder})
 * @param activeObjs objects not on a slab freelist ({@code active_objs}): in use plus cached
 * @param numObjs objects in all slabs ({@code num_objs})
 * @param cachedObjs free objects parked in per-thread, shared and alien arrays
 * @param activeSlabs slabs with at least one active object
 * @param numSlabs slabs of all nodes
 * @param sharedAvail objects in the nodes' shared arrays ({@code sharedavail})
 * @param slabBytes bytes of the pages of all slabs
 * @param tunables the per-thread array tunables
 * @param statistics the statistics columns
 */
public record CacheReading(
        String name,
        List<String> aliases,
        long objectSize,
        long size,
        int objPerSlab,
        int pagesPerSlab,
        long activeObjs,
        long numObjs,
        long cachedObjs,
        long activeSlabs,
        long numSlabs,
        long sharedAvail,
        long slabBytes,
        Tunables tunables,
        SlabStatistics statistics) {

    /** Copies {@code aliases}. */
    public CacheReading {
        aliases = List.copyOf(aliases);
    }

    /** @return objects handed out and not freed */
    public long inUseObjs() {
        return activeObjs - cachedObjs;
    }

    /** @return objects on the slabs' freelists */
    public long freeObjs() {
        return numObjs - activeObjs;
    }

    /**
     * Reads caches of one allocator.
     *
     * @param caches live caches of one {@link SlabSystem}, in the order wanted
     * @return their readings, in that order
     */
    static List<CacheReading> of(List<SlabCache> caches) {
        if (caches.isEmpty()) {
            return List.of();
        }
        Map<SlabCache, List<String>> aliases = new HashMap<>();
        for (CacheHandle h : caches.getFirst().sys.handles()) { // live handles, under slab_mutex
            if (h.alias && h != h.cache.kfreeHandle) { // an alias that names the row is not listed again
                aliases.computeIfAbsent(h.cache, k -> new ArrayList<>()).add(h.name);
            }
        }
        List<CacheReading> out = new ArrayList<>(caches.size());
        for (SlabCache c : caches) {
            out.add(of(c, aliases.getOrDefault(c, List.of())));
        }
        return List.copyOf(out);
    }

    private static CacheReading of(SlabCache c, List<String> aliases) {
        CacheNumbers.Info i = CacheNumbers.info(c);
        Geometry.Layout g = c.layout;
        return new CacheReading(
                c.name(),
                aliases,
                c.objectSize,
                g.size(),
                g.num(),
                1 << g.order(),
                i.activeObjs(),
                i.numObjs(),
                i.cached(),
                i.activeSlabs(),
                i.numSlabs(),
                i.sharedAvail(),
                i.numSlabs() * c.pc.slabBytes(g.order()),
                c.tunables,
                CacheNumbers.statistics(c));
    }
}
