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
    PANIC,
    /**
     * Wipe every object when it is freed: a per-cache form of the kernel's boot-wide {@code init_on_free} (slab4j's
     * {@code initOnFree} option, for every cache). A freed object's old contents are gone at once, and since every free
     * object is then zero, {@link KmemCache#zalloc} hands it out without a second memset. Where objects are freed long
     * after they were last touched, zeroing there measured cheaper than in the allocation (the live-set benchmark in
     * {@code docs/performance.md}).
     *
     * <p>Not with a constructor (objects must stay constructed), {@link #POISON} (the poison is the free pattern) or
     * {@link #TYPESAFE_BY_RCU} (readers may still look at a freed object): each is refused. Where the allocator poisons
     * every cache (its {@code debug} option, as a {@code CONFIG_DEBUG_SLAB} kernel poisons), the poison wins, as it does
     * over the kernel's {@code init_on_free}: free objects then hold the poison, and only {@link KmemCache#zalloc} gives
     * zeroes. Such a cache merges only with caches that also have {@code INIT_ON_FREE}. A segment kept after its free
     * reads zeroes or its next user's data, never the old contents; a write through it (a use after free) shows in the
     * next user, as the memset of {@code zalloc} no longer hides it.
     */
    INIT_ON_FREE
}
