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
    /** Alien caches by remote node ({@code alien[node]} is {@code null}); {@code null} with one node. */
    AlienCache[] alien;
    /** When the reaper next drains this node's shared array and free slabs ({@code next_reap}), in nanoseconds. */
    long nextReap;

    // Statistics (slabinfo "globalstat" columns kept per node), counted under listLock.
    /** {@code num_allocations}: objects taken from this node's slabs. */
    long listAllocs;
    /** Objects out of this node's slabs now: in use or cached in arrays ({@code num_active}). */
    long numActive;
    /** {@code node_allocs}: objects allocated for this node from another node's thread ({@code allocNode}). */
    long nodeAllocs;
    /** {@code max_freeable}: the most free slabs seen at a flush. */
    long maxFreeable;

    KmemCacheNode(int node) {
        this.node = node;
    }
}
