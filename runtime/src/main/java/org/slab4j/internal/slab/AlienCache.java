package org.slab4j.internal.slab;

import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code struct alien_cache}: objects freed on one node that belong to slabs of another, held under their own lock
 * and handed back to the owning node in batches ({@code __drain_alien_cache}).
 */
final class AlienCache {
    /** {@code alloc_alien_cache}: an alien cache holds at most 12 objects when the cache's limit exceeds 1. */
    static final int LIMIT = 12;

    final ReentrantLock lock = new ReentrantLock();
    final ArrayCache ac;

    AlienCache(SlabCache cache, int limit, Tunables tunables) {
        this.ac = new ArrayCache(null, cache, limit, tunables);
    }
}
