package org.slab4j.internal.slab;

import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code struct kmem_cache_node}: a cache's slabs on one node, the node's shared array cache, and the counters the
 * kernel keeps beside them. Every field is guarded by {@link #listLock} ({@code list_lock}).
 */
final class KmemCacheNode {
    final int node;
    final ReentrantLock listLock = new ReentrantLock();
    final SlabList slabsPartial = new SlabList("slabs_partial");
    final SlabList slabsFull = new SlabList("slabs_full");
    final SlabList slabsFree = new SlabList("slabs_free");

    long totalSlabs;
    long freeSlabs;
    long freeObjects;
    long freeLimit;
    int colourNext;
    boolean freeTouched;
    /** The node's shared array, or {@code null} when the cache's {@code shared} tunable is 0. */
    ArrayCache shared;

    KmemCacheNode(int node) {
        this.node = node;
    }
}
