package org.slab4j.internal.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.slab4j.internal.page.PageConfig;

/** The ownership rule's tables, and {@code drain_array}'s rule, seen from inside. */
class OwnershipTest {

    @Test
    void moreThan256LiveThreadsAndCollidingIdsAllKeepTheirFastArrays() throws Exception {
        SlabSystem sys = BootTest.boot();
        CacheHandle h = sys.createCache("crowd", 64, 0, 0, null);
        int threads = 300;
        CountDownLatch used = new CountDownLatch(threads);
        CountDownLatch end = new CountDownLatch(1);
        List<Thread> crowd = new ArrayList<>();
        List<String> missing = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < threads; i++) {
            crowd.add(Thread.ofPlatform().start(() -> {
                h.cache().free(h, null, h.cache().alloc(h));
                if (h.cache().ownFastArray(Thread.currentThread().threadId()) == null) {
                    missing.add(Thread.currentThread().getName());
                }
                used.countDown();
                try {
                    end.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        used.await();
        for (Thread t : crowd) { // every thread, whatever its id modulo 256, still finds its own array
            ArrayCache ac = h.cache().ownFastArray(t.threadId());
            assertNotNull(ac, t.getName());
            assertEquals(t.threadId(), ac.ownerTid);
        }
        assertEquals(List.of(), missing);
        end.countDown();
        for (Thread t : crowd) {
            t.join();
        }
        sys.close();
    }

    @Test
    void endedThreadsAreForgottenWithoutAReaper() throws Exception {
        SlabSystem sys = BootTest.boot(); // no reaper
        CacheHandle h = sys.createCache("churn", 64, 0, 0, null);
        for (int i = 0; i < 400; i++) {
            Thread t = Thread.ofPlatform().start(() -> {
                h.cache().free(h, null, h.cache().alloc(h));
                sys.kmalloc.kfree(sys.kmalloc.kmalloc(100));
            });
            t.join();
        }
        assertTrue(
                sys.threadCpus.cpuCount() <= 32,
                "the CPU table holds " + sys.threadCpus.cpuCount() + " CPUs for 400 ended threads");
        assertTrue(h.cache().arrays.size() <= 32, h.cache().arrays.size() + " arrays kept");
        assertEquals(400, sys.counts(h)[0], "counts of retired arrays are kept");
        assertEquals(400, sys.counts(h)[1]);
        sys.close();
    }

    @Test
    void aClaimHasExactlyOneWinner() throws Exception {
        SlabSystem sys = BootTest.boot();
        Thread t = Thread.ofPlatform().start(() -> sys.kmalloc.kfree(sys.kmalloc.kmalloc(64)));
        t.join();
        ThreadCpu cpu = new ThreadCpu(t, 0);
        assertTrue(cpu.claim());
        assertTrue(!cpu.claim() && cpu.isRetired());
        ThreadCpu live = new ThreadCpu(Thread.currentThread(), 0);
        assertTrue(!live.claim() && !live.isRetired(), "a live thread's CPU is never claimed");
        sys.close();
    }

    /** {@code drain_array} on a node's shared array: a fifth of the limit, or half of what it holds if that is less. */
    @Test
    void anIdleSharedArrayGivesBackAFifthOfItsLimitOrHalfOfWhatItHolds() {
        SlabSystem sys = BootTest.boot();
        CacheHandle h = sys.createCache("shared", 64, 0, 0, null);
        SlabCache c = h.cache();
        sys.tune("shared", 120, 60, 8); // a shared array of 8 * 60 = 480 entries
        KmemCacheNode n = c.nodes[0];
        ArrayCache shared = n.shared;
        for (int holds : new int[] {3, 30, 200}) {
            List<MemorySegment> objects = new ArrayList<>();
            for (int i = 0; i < holds; i++) {
                objects.add(c.alloc(h));
            }
            for (MemorySegment o : objects) { // as a flush would: free objects move into the shared array
                Slab slab = c.lookup.slabOf(o, "test");
                int idx = slab.objToIndex(o.address());
                slab.state[idx] = 0;
                n.listLock.lock();
                try {
                    shared.push(slab, idx);
                } finally {
                    n.listLock.unlock();
                }
            }
            shared.touched = false;
            n.freeTouched = true;
            c.drain.reapNode(n, n.nextReap, 1);
            // (limit + 4) / 5 = 96 of 480: 96 of 200 go; but only (3 + 1) / 2 = 2 of 3, and (30 + 1) / 2 = 15 of 30.
            int tofree = holds < 96 ? (holds + 1) / 2 : 96;
            assertEquals(holds - tofree, shared.avail, "held " + holds);
            n.listLock.lock();
            try {
                c.lists.freeBlock(shared, shared.avail, n);
                shared.avail = 0;
            } finally {
                n.listLock.unlock();
            }
        }
        sys.close();
    }

    /**
     * Destroys racing virtual threads (which share locked stripes, which destroy drains itself) and a platform thread
     * (whose arrays it leaves to their owner) that allocate and free on two nodes: once all of them have ended and
     * every destroyed cache is gone, every page in use is a slab of a live cache. A stripe array, alien cache or shared
     * array of a dead cache that took objects after destroy's last drain would keep its slabs forever, as nobody
     * drains a dead cache's arrays again.
     */
    @Test
    void destroyRacingVirtualAndPlatformThreadsLeavesNoSlabOfADeadCache() throws Exception {
        SlabSystem sys = new SlabSystem(new SlabSystem.Config(
                new PageConfig(4096, 64, 1), 2, 2, true, Long.MAX_VALUE, false, 1, false, false, 0, 0));
        AtomicReference<CacheHandle> current =
                new AtomicReference<>(sys.createCache("raced0", 128, 0, CacheFlags.NO_MERGE, null));
        AtomicBoolean stop = new AtomicBoolean();
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        Runnable churn = () -> {
            while (!stop.get()) {
                CacheHandle h = current.get();
                try {
                    MemorySegment o = h.cache().alloc(h);
                    h.cache().free(h, null, o);
                    o = h.cache().allocNode(h, 1); // another node's object for some: freed through an alien cache
                    h.cache().free(h, null, o); // an object handed out is always taken back, destroyed cache or not
                } catch (IllegalStateException e) { // destroyed: wait for the next cache (and free the carrier)
                    LockSupport.parkNanos(10_000);
                } catch (Throwable e) {
                    errors.add(e);
                    return;
                }
            }
        };
        // No more virtual threads than carriers on two cores: one that parks on a stripe lock must get a carrier back.
        List<Thread> workers = List.of(
                Thread.ofVirtual().start(churn),
                Thread.ofVirtual().start(churn),
                Thread.ofPlatform().start(churn));
        List<CacheHandle> busy = new ArrayList<>();
        for (int round = 1; round <= 1_500; round++) {
            CacheHandle old = current.getAndSet(sys.createCache("raced" + round, 128, 0, CacheFlags.NO_MERGE, null));
            try {
                sys.destroy(old);
            } catch (IllegalStateException e) { // a worker held an object: destroy it once they have stopped
                busy.add(old);
            }
        }
        stop.set(true);
        for (Thread t : workers) {
            t.join();
        }
        assertEquals(List.of(), List.copyOf(errors));
        busy.add(current.get());
        sys.threadCpus.retireDeadCpus(); // the platform worker's arrays
        for (CacheHandle h : busy) {
            sys.destroy(h);
        }
        LifecycleInsideTest.assertEveryPageInALiveSlab(sys);
        sys.close();
    }
}
