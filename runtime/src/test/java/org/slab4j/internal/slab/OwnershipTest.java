package org.slab4j.internal.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

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
}
