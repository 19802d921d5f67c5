package org.slab4j;

/** Where a cache keeps each slab's free-object index list, tried in this order by {@code __kmem_cache_create}. */
public enum FreelistMode {
    /** Inside one free object of the slab ({@code CFLGS_OBJFREELIST_SLAB}): no overhead, needs no constructor. */
    OBJFREELIST,
    /** In an object of the kmalloc cache that fits it ({@code CFLGS_OFF_SLAB}). */
    OFF_SLAB,
    /** At the end of the slab, costing one index per object. */
    ON_SLAB
}
