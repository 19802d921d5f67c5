package org.slab4j.internal.slab;

import java.util.Arrays;

/**
 * The ids of a cache's live slabs, and the table of slabs by id that it publishes in {@link SlabCache#slabsById}, so
 * that an {@link ArrayCache} entry can name its object's slab with an int. The kernel
 * needs no such table: it finds the slab from the object pointer ({@code virt_to_head_page}). Here a reference per
 * entry would cost a GC write barrier on every free, and an address lookup more loads than one array read.
 *
 * <p>Ids are small and reused: {@link #register} takes a released id first, so the table stays as long as the most
 * slabs the cache ever had at once. A slab's id is released only when the slab is destroyed, and a slab is destroyed
 * only when none of its objects is allocated or in an array, so no entry ever names a reused id.
 *
 * <p>The table is replaced, never shrunk, under this object's monitor (slab growth and destruction, slow paths) and
 * read without it, straight from the cache (one load less on the allocation path than through this object). An entry's id was registered before the entry was made, and the entry reached its reader
 * through the same thread or through a lock (shared arrays, alien caches, node lists): that order makes the slab
 * visible in whichever table the reader sees, since a replacement copies every live slab.
 */
final class SlabTable {
    /** The cache whose {@link SlabCache#slabsById} (slabs by id, {@code null} for a free id) this table keeps. */
    private final SlabCache cache;

    private int[] freeIds = new int[16];
    private int freeCount;
    private int nextId;

    SlabTable(SlabCache cache) {
        this.cache = cache;
        cache.slabsById = new Slab[16];
    }

    /** @return a free id for {@code slab}, entered in the table */
    synchronized int register(Slab slab) {
        int id = freeCount > 0 ? freeIds[--freeCount] : nextId++;
        Slab[] t = cache.slabsById;
        if (id >= t.length) {
            t = Arrays.copyOf(t, 2 * t.length);
        }
        t[id] = slab;
        cache.slabsById = t; // a volatile write: publishes the slab to readers that see later entries naming it
        return id;
    }

    /** Frees the id of a destroyed slab. */
    synchronized void release(Slab slab) {
        cache.slabsById[slab.id] = null;
        if (freeCount == freeIds.length) {
            freeIds = Arrays.copyOf(freeIds, 2 * freeCount);
        }
        freeIds[freeCount++] = slab.id;
    }
}
