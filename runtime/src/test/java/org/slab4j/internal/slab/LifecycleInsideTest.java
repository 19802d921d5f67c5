package org.slab4j.internal.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.slab4j.internal.page.PageConfig;

/**
 * Lifecycle calls racing slow paths that re-enter the allocator (a slab's OFF_SLAB freelist comes from kmalloc, a
 * constructor may allocate), seen from inside: every page in use is a live cache's slab, and every node list holds
 * only its own node's slabs, in the list their counts say.
 */
class LifecycleInsideTest {
    /** @return a system of {@code nodes} nodes and one CPU, 4 KiB pages, no reaper */
    static SlabSystem boot(int nodes) {
        return new SlabSystem(new SlabSystem.Config(
                new PageConfig(4096, 64, 1), nodes, 1, true, Long.MAX_VALUE, false, 1, false, false, 0, 0));
    }

    /** Asserts that every page in use belongs to a slab of a live cache: no dead cache keeps one. */
    static void assertEveryPageInALiveSlab(SlabSystem sys) {
        long inSlabs = 0;
        for (SlabCache c : sys.cachesNewestFirst()) {
            inSlabs += CacheNumbers.info(c).numSlabs() << c.layout.order();
        }
        long inUse = (sys.pages.mappedBytes() - sys.pages.freeBytes()) / sys.pc.pageSize();
        assertEquals(inSlabs, inUse, "pages in use that no live cache's slab holds");
    }

    /** Asserts that each node's lists hold only that node's live slabs, each in the list its count says, and no counts below 0. */
    static void assertListsConsistent(SlabSystem sys) {
        for (SlabCache c : sys.cachesNewestFirst()) {
            int num = c.layout.num();
            for (KmemCacheNode n : c.nodes) {
                String where = c.name + " node " + n.node;
                assertTrue(
                        n.numActive >= 0 && n.freeObjects >= 0,
                        where + ": " + n.numActive + " active, " + n.freeObjects + " free");
                for (SlabList l : new SlabList[] {n.slabsFull, n.slabsPartial, n.slabsFree}) {
                    Set<Slab> seen = Collections.newSetFromMap(new IdentityHashMap<>());
                    for (Slab s = l.first(); s != null; s = s.next) {
                        assertTrue(seen.add(s), where + " " + l.name + ": a cycle");
                        boolean placed = l == n.slabsFull
                                ? s.active == num
                                : l == n.slabsFree ? s.active == 0 : s.active > 0 && s.active < num;
                        assertTrue(
                                s.node == n.node && s.list == l && placed && !s.destroyed,
                                where + " " + l.name + ": a slab of node " + s.node + " with " + s.active + " active");
                    }
                    assertEquals(l.size(), seen.size(), where + " " + l.name + ": its size");
                }
            }
        }
    }

    /**
     * Draining an OFF_SLAB cache's array on a bind destroys slabs, whose freelists go back to kmalloc, into the
     * thread's kmalloc array that the drain had emptied already: the bind must not relabel those old-node objects as
     * the new node's, or the next flush puts them on the wrong node's lists (found with two nodes: a slab on both
     * nodes' lists, objects handed out twice, a refill spinning under a list lock).
     */
    @Test
    void bindingAPlatformThreadToAnotherNodeKeepsEveryObjectOnItsOwnNode() {
        SlabSystem sys = boot(2);
        CacheHandle h = sys.createCache("offslab", 256, 0, 0, seg -> {}); // a constructor: freelists OFF_SLAB
        assertEquals(org.slab4j.FreelistMode.OFF_SLAB, h.cache().layout.mode());
        sys.tune("offslab", 512, 1, 0); // a large array, a small free limit: the drain destroys slabs
        sys.threadCpus.bindCurrentThread(0);
        List<MemorySegment> objects = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            objects.add(h.cache().alloc(h));
        }
        objects.forEach(o -> h.cache().free(h, null, o));
        sys.threadCpus.bindCurrentThread(1);
        sys.threadCpus.drainCurrentThread();
        assertListsConsistent(sys);
        sys.close();
    }

    /**
     * A platform thread's slab growth re-enters the allocator (here a constructor that kmallocs) while another thread
     * destroys the cache: the nested slow path must not retire the array that the outer one then fills, which nobody
     * could drain again.
     */
    @Test
    void aSlowPathThatReentersWhileItsCacheIsDestroyedKeepsNoPages() throws Exception {
        SlabSystem sys = boot(1);
        CountDownLatch inCtor = new CountDownLatch(1);
        CountDownLatch destroyed = new CountDownLatch(1);
        // a constructor with a scratch buffer
        CacheHandle h =
                stalledCache(sys, "reentered", inCtor, destroyed, () -> sys.kmalloc.kfree(sys.kmalloc.kmalloc(64)));
        Thread worker = Thread.ofPlatform()
                .start(() -> h.cache().free(h, null, h.cache().alloc(h)));
        inCtor.await();
        sys.destroy(h); // the allocation in progress overlaps it: it completes, and its free is taken back
        destroyed.countDown();
        worker.join();
        sys.threadCpus.retireDeadCpus();
        assertEveryPageInALiveSlab(sys);
        sys.close();
    }

    /** {@code kfree} takes back an object whose allocation overlapped its cache's destroy, as {@code free} does. */
    @Test
    void kfreeTakesBackAnAllocationThatOverlappedTheDestroy() throws Exception {
        SlabSystem sys = boot(1);
        CountDownLatch inCtor = new CountDownLatch(1);
        CountDownLatch destroyed = new CountDownLatch(1);
        CacheHandle h = stalledCache(sys, "overlapped", inCtor, destroyed, () -> {});
        MemorySegment[] got = new MemorySegment[1];
        Thread worker = Thread.ofPlatform().start(() -> got[0] = h.cache().alloc(h));
        inCtor.await();
        sys.destroy(h);
        destroyed.countDown();
        worker.join();
        sys.kmalloc.kfree(got[0]);
        IllegalStateException again = assertThrows(IllegalStateException.class, () -> sys.kmalloc.kfree(got[0]));
        assertTrue(again.getMessage().contains("'overlapped'"), again.getMessage());
        sys.threadCpus.retireDeadCpus();
        assertEveryPageInALiveSlab(sys);
        sys.close();
    }

    /**
     * While one object is held, destroy is refused, however the counts it reads race the virtual threads that churn
     * the cache through a tiny array (every operation flushes): a flush counted its objects both free and cached.
     */
    @Test
    void destroyIsRefusedWhileAnObjectIsHeldWhateverTheChurn() throws Exception {
        SlabSystem sys = boot(1);
        CacheHandle h = sys.createCache("held", 128, 0, CacheFlags.NO_MERGE, null);
        sys.tune("held", 2, 1, 0);
        MemorySegment held = h.cache().alloc(h);
        AtomicBoolean stop = new AtomicBoolean();
        Runnable churn = () -> {
            while (!stop.get()) {
                MemorySegment x = h.cache().alloc(h);
                MemorySegment y = h.cache().alloc(h);
                h.cache().free(h, null, x);
                h.cache().free(h, null, y);
            }
        };
        List<Thread> workers =
                List.of(Thread.ofVirtual().start(churn), Thread.ofVirtual().start(churn));
        int succeeded = 0;
        for (int i = 0; i < 20_000 && succeeded == 0; i++) {
            try {
                sys.destroy(h);
                succeeded++;
            } catch (IllegalStateException e) {
                assertTrue(e.getMessage().contains("still allocated"), e.getMessage());
            }
        }
        stop.set(true);
        for (Thread t : workers) {
            t.join();
        }
        assertEquals(0, succeeded, "destroy succeeded while an object was held");
        h.cache().free(h, null, held);
        sys.destroy(h);
        sys.close();
    }

    /**
     * destroy reads the cached objects in the counts it checks, without draining first: objects that live threads
     * (a platform thread, a virtual thread's stripe) freed into their arrays do not count as allocated, the destroy is
     * accepted, and once those threads took a slow path again no array of the cache is left, its id serves again and
     * no page is kept.
     */
    @Test
    void destroyIsAcceptedWhileLiveThreadsCacheItsFreedObjects() throws Exception {
        for (boolean virtual : new boolean[] {false, true}) {
            SlabSystem sys = boot(1);
            CacheHandle h = sys.createCache("cached-elsewhere", 64, 0, CacheFlags.NO_MERGE, null);
            CacheHandle other = sys.createCache("other", 64, 0, CacheFlags.NO_MERGE, null);
            CountDownLatch cached = new CountDownLatch(1);
            CountDownLatch destroyed = new CountDownLatch(1);
            Runnable user = () -> {
                List<MemorySegment> objects = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    objects.add(h.cache.alloc(h));
                }
                objects.forEach(o -> h.cache.free(h, null, o));
                cached.countDown();
                await(destroyed);
                other.cache.free(other, null, other.cache.alloc(other)); // a slow path: gives the dead array back
            };
            Thread t = virtual
                    ? Thread.ofVirtual().start(user)
                    : Thread.ofPlatform().start(user);
            cached.await();
            sys.destroy(h);
            destroyed.countDown();
            t.join();
            assertEquals(List.of(), h.cache.arrays, virtual ? "virtual" : "platform");
            assertEveryPageInALiveSlab(sys);
            assertEquals(h.cache.id, sys.createCache("next", 64, 0, CacheFlags.NO_MERGE, null).cache.id);
            sys.close();
        }
    }

    /** A refused destroy changes nothing: it drains no array before it finds an object still allocated. */
    @Test
    void aRefusedDestroyChangesNothing() {
        SlabSystem sys = boot(1);
        CacheHandle h = sys.createCache("refused", 64, 0, CacheFlags.NO_MERGE, null);
        MemorySegment held = h.cache.alloc(h);
        List<MemorySegment> objects = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            objects.add(h.cache.alloc(h));
        }
        objects.forEach(o -> h.cache.free(h, null, o));
        String slabinfo = sys.slabinfo();
        org.slab4j.CacheStats stats = sys.stats(h);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sys.destroy(h));
        assertTrue(e.getMessage().contains("'refused'") && e.getMessage().contains(" 1 object(s)"), e.getMessage());
        assertEquals(slabinfo, sys.slabinfo());
        assertEquals(stats, sys.stats(h));
        h.cache.free(h, null, held);
        sys.destroy(h);
        assertEveryPageInALiveSlab(sys);
        sys.close();
    }

    /**
     * @return a cache of 256-byte objects (OFF_SLAB, as it has a constructor) whose constructor, on its first call,
     *     counts {@code inCtor} down and waits for {@code destroyed}; every call then runs {@code then}
     */
    private static CacheHandle stalledCache(
            SlabSystem sys, String name, CountDownLatch inCtor, CountDownLatch destroyed, Runnable then) {
        AtomicBoolean first = new AtomicBoolean(true);
        return sys.createCache(name, 256, 0, 0, seg -> {
            if (first.getAndSet(false)) {
                inCtor.countDown();
                await(destroyed);
            }
            then.run();
        });
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
