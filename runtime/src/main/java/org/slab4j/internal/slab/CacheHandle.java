package org.slab4j.internal.slab;

/**
 * One name for a cache: the cache's own, or an alias created by merging ({@code __kmem_cache_alias}). Beyond Linux,
 * every handle counts its own allocations and frees, so a merged type still has its own numbers.
 *
 * <p>The live counts sit in each thread's {@link ArrayCache} of the cache, at {@link #aliasIndex}; counts of threads
 * that have ended are folded into {@link #retiredAllocs} and {@link #retiredFrees} under the cache's
 * {@code arraysLock}. An alias destroyed while its cache lives leaves it ({@link SlabCache#leave}): its counts are
 * final in the retired fields from then on, and its index serves the next alias, whose retired fields start at minus
 * what the arrays still count there, so that it counts from zero.
 */
public final class CacheHandle {
    final String name;
    final SlabCache cache;
    final boolean alias;
    /** Where the arrays count for it: 0 for the cache's own name, a free index from 1 for an alias. */
    final int aliasIndex;

    long retiredAllocs;
    long retiredFrees;
    /** Set when the handle left its live cache ({@link SlabCache#leave}): its counts are the retired fields alone. */
    boolean left;
    /** Set once the handle is destroyed or its allocator closed; checked on every call. */
    volatile String deadReason;

    CacheHandle(String name, SlabCache cache, boolean alias, int aliasIndex) {
        this.name = name;
        this.cache = cache;
        this.alias = alias;
        this.aliasIndex = aliasIndex;
    }

    /** @return the name the handle was created with */
    public String name() {
        return name;
    }

    /** @return the cache behind the handle */
    public SlabCache cache() {
        return cache;
    }

    /** @return whether this handle was merged into a cache created under another name */
    public boolean isAlias() {
        return alias;
    }

    /**
     * @return whether the cache's slabinfo row goes by this handle's name: the cache's first live handle, its own name
     *     or, once that is destroyed, its oldest live alias
     */
    public boolean namesRow() {
        return cache.kfreeHandle == this;
    }

    /** @return whether the handle is neither destroyed nor closed with its allocator */
    boolean isLive() {
        return deadReason == null;
    }

    /**
     * @throws IllegalStateException naming the cache when the handle was destroyed or the allocator closed
     */
    public void checkLive() {
        if (deadReason != null) { // one field read on every call: the message is built elsewhere, so this inlines
            throw dead();
        }
    }

    private IllegalStateException dead() {
        return new IllegalStateException("cache '" + name + "': " + deadReason);
    }
}
