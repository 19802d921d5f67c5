package org.slab4j;

/**
 * Cache creation flags, named after the kernel's {@code SLAB_*} flags in {@code include/linux/slab.h}.
 *
 * <p>Only the flags that mean something on the JVM exist here. The debug flags ({@link #POISON},
 * {@link #RED_ZONE}, {@link #STORE_USER}) are accepted and shape the geometry as in a kernel built with
 * {@code CONFIG_DEBUG_SLAB}; like the kernel, they stop a cache from being merged.
 */
public enum SlabFlag {
    /** Align objects on a cache line ({@code SLAB_HWCACHE_ALIGN}): the alignment halves while the object fits. */
    HWCACHE_ALIGN,
    /** Objects are reclaimable ({@code SLAB_RECLAIM_ACCOUNT}): the slab order search stops at the first fit. */
    RECLAIM_ACCOUNT,
    /** Memory is type-stable ({@code SLAB_TYPESAFE_BY_RCU}): no object free list inside free objects, never merged. */
    TYPESAFE_BY_RCU,
    /** Never merge this cache with another ({@code SLAB_NO_MERGE}, Linux 6.5 and later). */
    NO_MERGE,
    /** Poison free objects with {@code 0x6b} and end them with {@code 0xa5} ({@code SLAB_POISON}). */
    POISON,
    /** Guard words around each object ({@code SLAB_RED_ZONE}); adds 16 bytes to the buffer. */
    RED_ZONE,
    /** Record the last user of each object ({@code SLAB_STORE_USER}); adds a word to the buffer. */
    STORE_USER,
    /**
     * Fail loudly if the cache cannot be created ({@code SLAB_PANIC}). On the JVM a failed creation always throws,
     * so this flag is accepted for fidelity and changes nothing.
     */
    PANIC
}
