package org.slab4j.internal.slab;

import java.lang.foreign.MemorySegment;
import org.slab4j.SlabOutOfMemoryException;

/**
 * A cache's allocations and frees on the calling thread's {@link ThreadCpu}, for everything the fast paths of
 * {@link SlabCache#alloc} and {@link SlabCache#free} do not take: {@code ____cache_alloc} with its refill,
 * {@code ____cache_alloc_node}, {@code __cache_free} and {@code ___cache_free}, the debug checks, virtual threads'
 * stripes, and frees through a dead handle.
 *
 * <p><b>The CPU.</b> Each path takes the calling thread's {@link ThreadCpu}: a platform thread's own, used without a
 * lock (only its thread touches it), or a stripe shared by virtual threads, held under its lock for the whole path. The
 * CPU is marked {@link ThreadCpu#busy} while a path may call back into the allocator (an OFF_SLAB freelist from kmalloc,
 * a cache constructor), so that a bind or a reap never moves its arrays underneath. Each path first lets the CPU's
 * owner give back what the reaper asked for ({@link ThreadCpus#ownerReap}).
 *
 * <p><b>Errors.</b> A failure that comes from a race with {@code close()} (a chunk unmapped under a refill or a wipe)
 * is reported as "the allocator is closed" ({@link SlabSystem#closedOr}); a free of something that is not an allocated
 * object of the cache names the cache and what is wrong ({@link ObjectLookup}).
 *
 * <p>Guards: none of its own; the arrays are their owner's (see {@link SlabCache}), the node lists are under their
 * node's lock ({@link NodeLists}).
 */
final class CpuPaths {
    private final SlabCache cache;

    CpuPaths(SlabCache cache) {
        this.cache = cache;
    }

    /**
     * {@code cache_alloc_debugcheck_after}, and the constructor that a poisoned cache runs on every allocation. A
     * constructor that throws there fails the allocation, as one that throws while a slab is grown does: the object,
     * already taken, is freed through {@code h} again, so that no object stays allocated with no one to free it. One
     * that freed the object itself fails it too: the object is on the free lists again, or allocated again to someone
     * else (a constructor that frees it and allocates gets it back), and cannot be handed out; the object is marked
     * {@link Slab#CONSTRUCTING} meanwhile, which an allocation of it again does not leave.
     */
    private MemorySegment debugAlloc(CacheHandle h, MemorySegment obj) {
        Slab slab = cache.lookup.slabOf(obj, "allocate");
        int idx = slab.objToIndex(obj.address());
        cache.debug.afterAlloc(slab, idx, obj);
        if (cache.ctor != null && cache.debug.poison) {
            String failed = "cache '" + cache.name + "': the constructor ";
            slab.state[idx] = Slab.CONSTRUCTING;
            try {
                cache.ctor.construct(obj);
            } catch (RuntimeException | Error e) {
                boolean held = slab.state[idx] == Slab.CONSTRUCTING;
                if (held) {
                    slab.state[idx] = Slab.ALLOCATED;
                    cache.free(h, slab, obj);
                }
                throw new IllegalStateException(
                        failed + "failed on an object being allocated (a poisoned cache constructs every object"
                                + " it hands out); "
                                + (held
                                        ? "the object was freed again and the cache is unchanged"
                                        : "it had freed the object itself, which is not handed out"),
                        e);
            }
            if (slab.state[idx] != Slab.CONSTRUCTING) {
                throw new IllegalStateException(failed + "freed the object it was constructing (a poisoned cache"
                        + " constructs every object it hands out); the allocation failed and the object is not"
                        + " handed out: it stays free, or with whoever allocated it since");
            }
            slab.state[idx] = Slab.ALLOCATED;
        }
        return obj;
    }

    /**
     * Everything but the fast path of {@link SlabCache#alloc}. A failure here that comes from a race with
     * {@code close()} (a chunk unmapped under the refill) is reported as "the allocator is closed"; the fast path itself
     * touches no native memory and no structure that {@code close()} tears down, so it needs no such handler (which
     * would cost it).
     */
    MemorySegment allocSlow(CacheHandle h) {
        try {
            MemorySegment obj = allocOnCpu(h);
            return cache.debug == null ? obj : debugAlloc(h, obj);
        } catch (RuntimeException e) {
            throw cache.sys.closedOr(e, "cache '" + h.name + "'");
        }
    }

    private MemorySegment allocOnCpu(CacheHandle h) {
        ThreadCpu cpu = cache.sys.threadCpus.cpu();
        cache.sys.threadCpus.ownerReap(cpu);
        if (cpu.lock == null) {
            return cacheAllocBusy(cpu, h);
        }
        cpu.lock.lock();
        try {
            return cacheAllocBusy(cpu, h);
        } finally {
            cpu.lock.unlock();
        }
    }

    /** {@link #cacheAlloc} with the CPU marked busy ({@link ThreadCpu#busy}) for the allocator calls it may make. */
    private MemorySegment cacheAllocBusy(ThreadCpu cpu, CacheHandle h) {
        cpu.busy++;
        try {
            return cacheAlloc(cpu, h);
        } finally {
            cpu.busy--;
        }
    }

    /** {@code ____cache_alloc}: pop from the CPU's array, refill it when empty. */
    private MemorySegment cacheAlloc(ThreadCpu cpu, CacheHandle h) {
        ArrayCache ac = cache.arrayOf(cpu);
        if (ac == null) { // destroyed or closed after the caller's liveness check: no array or slab of it is made again
            throw cache.gone();
        }
        MemorySegment obj;
        if (ac.avail > 0) {
            ac.touched = true;
            obj = cache.takeEntry(ac.entry[--ac.avail]);
        } else {
            try {
                obj = cache.lists.cacheAllocRefill(cpu, ac);
            } catch (SlabOutOfMemoryException e) {
                obj = cache.lists.fallbackAlloc(cpu.node, e);
            }
        }
        ac.countAlloc(h.aliasIndex);
        return obj;
    }

    /** {@link SlabCache#allocNode} off the caller's node: {@link #cacheAllocNode}, then the debug checks. */
    MemorySegment allocNode(ThreadCpu cpu, CacheHandle h, int node) {
        MemorySegment obj = cacheAllocNode(cpu, h, node);
        return cache.debug == null ? obj : debugAlloc(h, obj);
    }

    /** {@code ____cache_alloc_node}: node {@code node}'s lists, a new slab there, else {@code fallback_alloc}. */
    private MemorySegment cacheAllocNode(ThreadCpu cpu, CacheHandle h, int node) {
        MemorySegment obj = cache.lists.takeFromLists(cache.nodes[node]);
        if (obj == null) {
            try {
                obj = cache.lists.growAndTake(node);
            } catch (SlabOutOfMemoryException e) {
                obj = cache.lists.fallbackAlloc(node, e); // counts itself active
                countAllocOn(cpu, h);
                return obj;
            }
        }
        cache.noteActive();
        countAllocOn(cpu, h);
        return obj;
    }

    /** Counts an allocation that bypassed the arrays in the calling CPU's array for {@code h}, under its lock. */
    private void countAllocOn(ThreadCpu cpu, CacheHandle h) {
        if (cpu.lock == null) {
            countAlloc(cache.arrayOf(cpu), h);
            return;
        }
        cpu.lock.lock();
        try {
            countAlloc(cache.arrayOf(cpu), h);
        } finally {
            cpu.lock.unlock();
        }
    }

    private static void countAlloc(ArrayCache ac, CacheHandle h) {
        if (ac != null) { // else the cache died meanwhile: its counts are no longer read
            ac.countAlloc(h.aliasIndex);
        }
    }

    /**
     * A free through a handle that is dead. Refused with the handle's reason, except for an object of a destroyed cache
     * that a caller still holds (its allocation overlapped the destroy, see {@link SlabSystem#destroy}): that object goes
     * straight back to its slab, and the slab, once free, goes too.
     */
    private void freeDead(CacheHandle h, MemorySegment object) {
        if (!cache.dead || cache.sys.isClosed()) {
            h.checkLive(); // throws, naming the reason
        }
        Slab slab = cache.lookup.slabOf(object, "free");
        int idx = cache.lookup.objectIndex(slab, object, "free");
        if (slab.state[idx] == 0) {
            throw new IllegalStateException("cache '" + cache.name + "': this cache has been destroyed, and "
                    + ObjectLookup.describe(object) + " is not one of its objects still allocated");
        }
        slab.state[idx] = 0;
        cache.lists.freeToSlab(slab, idx);
    }

    /**
     * Everything but the fast path of {@link SlabCache#free}: a dead handle, a virtual thread's stripe, and the checked
     * path. As in {@link #allocSlow}, a failure that comes from a race with {@code close()} is reported as such.
     *
     * @param ac the calling thread's fast array, or {@code null}
     */
    void freeChecked(CacheHandle h, ArrayCache ac, Slab known, MemorySegment object) {
        try {
            // kfree (the only caller with a known slab) read the handle it counts against, and another thread then
            // destroyed that name: the cache may live on under another. kill() clears kfreeHandle after it sets dead,
            // so a null here means the cache itself is gone, which freeDead handles.
            CacheHandle next;
            while (h.deadReason != null && known != null && (next = cache.kfreeHandle) != null && next != h) {
                h = next;
            }
            if (h.deadReason != null) {
                freeDead(h, object);
                return;
            }
            if (ac == null) {
                ThreadCpu cpu = cache.sys.threadCpus.cpu();
                if (cpu.lock != null) {
                    freeStriped(cpu, h, known, object);
                    return;
                }
            }
            freeFromSlab(h, known != null ? known : cache.lookup.slabOf(object, "free"), object);
        } catch (RuntimeException e) {
            throw cache.sys.closedOr(e, "cache '" + h.name + "'");
        }
    }

    /**
     * {@link SlabCache#free} by a virtual thread: under its stripe's lock, the fast path of a platform thread (on the
     * slab {@code kfree} found, else the {@link PageMap}'s), else the checked path, which takes the (reentrant) lock
     * again.
     *
     * @param known the object's slab if the caller found it, else {@code null}
     */
    private void freeStriped(ThreadCpu cpu, CacheHandle h, Slab known, MemorySegment object) {
        cpu.lock.lock();
        try {
            ArrayCache ac = cache.arrayOf(cpu);
            Slab slab =
                    known != null || object == null ? known : cache.slabOfThis(cache.pageMap.find(object.address()));
            if (ac == null
                    || !cache.fastFree(ac, h, slab, object)) { // dead: the checked path takes it back to its slab
                freeFromSlab(h, known != null ? known : cache.lookup.slabOf(object, "free"), object);
            } else if (cache.initOnFree) {
                object.fill((byte) 0); // as in free: the stripe's array is ours while we hold its lock
            }
        } finally {
            cpu.lock.unlock();
        }
    }

    /**
     * {@code __cache_free} for an object already found on {@code slab}: the object-start and double-free checks, the
     * debug checks, then the thread's array (or the alien cache).
     */
    private void freeFromSlab(CacheHandle h, Slab slab, MemorySegment object) {
        int idx = cache.lookup.objectIndex(slab, object, "free");
        // A plain read and write: sequential double frees are always caught; two threads racing to free the same
        // object twice may both pass (catching that would cost an atomic on every free).
        if (slab.state[idx] == 0) { // ALLOCATED, or CONSTRUCTING: a poisoned cache's constructor frees its object
            throw cache.lookup.doubleFree(object);
        }
        slab.state[idx] = 0;
        if (cache.debug != null) {
            cache.debug.beforeFree(slab, idx, slab.objs[idx]);
        }
        freeSlow(h, slab, idx);
    }

    /** The free path of object {@code index} of {@code slab} through the calling thread's {@link ThreadCpu}. */
    private void freeSlow(CacheHandle h, Slab slab, int index) {
        ThreadCpu cpu = cache.sys.threadCpus.cpu();
        if (cpu.lock == null) {
            cacheFreeBusy(cpu, h, slab, index);
            return;
        }
        cpu.lock.lock();
        try {
            cacheFreeBusy(cpu, h, slab, index);
        } finally {
            cpu.lock.unlock();
        }
    }

    /** {@link #cacheFree} with the CPU marked busy ({@link ThreadCpu#busy}) for the allocator calls it may make. */
    private void cacheFreeBusy(ThreadCpu cpu, CacheHandle h, Slab slab, int index) {
        cpu.busy++;
        try {
            cacheFree(cpu, h, slab, index);
        } finally {
            cpu.busy--;
        }
    }

    /**
     * {@code ___cache_free}: an object of another node goes to that node through an alien cache
     * ({@code cache_free_alien}); otherwise it is pushed onto the CPU's array, after flushing a batch if it is full.
     */
    private void cacheFree(ThreadCpu cpu, CacheHandle h, Slab slab, int index) {
        cache.sys.threadCpus.ownerReap(cpu);
        ArrayCache ac = cache.arrayOf(cpu);
        if (ac == null) { // an allocation that overlapped destroy: no array of a dead cache takes objects
            cache.lists.freeToSlab(slab, index);
            return;
        }
        if (cache.initOnFree) {
            slab.objs[index].fill((byte) 0);
        }
        if (slab.node != cpu.node) {
            ac.countFree(h.aliasIndex);
            cache.lists.cacheFreeAlien(cpu, slab, index);
            return;
        }
        if (ac.avail >= ac.limit) {
            ac.freeMiss++;
            cache.lists.cacheFlusharray(cpu, ac);
        }
        ac.push(slab, index);
        ac.countFree(h.aliasIndex);
    }
}
