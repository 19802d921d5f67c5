package org.slab4j.internal.slab;

/**
 * {@code slab_state} during {@code kmem_cache_init}: how far the allocator has bootstrapped itself.
 *
 * <ul>
 *   <li>{@link #DOWN}: no cache exists.
 *   <li>{@link #PARTIAL}: the {@code kmem_cache} cache (the cache of cache descriptors) exists and has allocated its
 *       own descriptor from itself: the chicken-and-egg the kernel solves with the static {@code kmem_cache_boot}.
 *   <li>{@code PARTIAL_NODE} is not modelled: the kernel needs a kmalloc cache for {@code kmem_cache_node} before it
 *       can make the rest; here nodes are plain Java objects.
 *   <li>{@link #UP}: the kmalloc caches exist; from now on OFF_SLAB freelists can come from them.
 *   <li>{@link #FULL}: {@code kmem_cache_init_late} has given every cache its real per-CPU tunables (before, each
 *       array holds one object, {@code BOOT_CPUCACHE_ENTRIES}).
 * </ul>
 */
public enum BootState {
    DOWN,
    PARTIAL,
    UP,
    FULL
}
