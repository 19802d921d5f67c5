package org.slab4j;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/** Several nodes, alien frees, node allocation, the reaper, tunables and the statistics columns. */
class NodesAndReaperTest {
    private static final Duration REAP = Duration.ofMillis(100);

    private static long[] stats(SlabAllocator a, String cache) {
        for (String line : a.slabinfo().split("\n")) {
            if (line.startsWith(cache + " ")) {
                String[] f = line.substring(line.indexOf("globalstat") + 10)
                        .replace(": cpustat", "")
                        .trim()
                        .split("\\s+");
                long[] v = new long[f.length];
                for (int i = 0; i < f.length; i++) {
                    v[i] = Long.parseLong(f[i]);
                }
                return v;
            }
        }
        throw new AssertionError("no row for " + cache);
    }

    @Test
    void statisticsHeaderAndColumnsReconcile() {
        try (SlabAllocator a = SlabAllocator.builder()
                .statistics(true)
                .cpus(2)
                .reapInterval(Duration.ZERO)
                .build()) {
            String text = a.slabinfo();
            assertTrue(text.startsWith("slabinfo - version: 2.1 (statistics)\n"), text);
            assertTrue(text.contains(" : globalstat <listallocs> <maxobjs> <grown> <reaped> <error> <maxfreeable>"
                    + " <nodeallocs> <remotefrees> <alienoverflow> : cpustat <allochit> <allocmiss> <freehit>"
                    + " <freemiss>"));
            KmemCache c = a.createCache("counted", 128);
            List<MemorySegment> objs = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                objs.add(c.alloc());
            }
            objs.forEach(c::free);
            long[] s = stats(a, "counted");
            assertEquals(13, s.length);
            // allochit + allocmiss = allocations; freehit + freemiss = frees (one node: no node allocs, no alien frees)
            assertEquals(1000, s[9] + s[10]);
            assertEquals(1000, s[11] + s[12]);
            assertTrue(s[10] > 0 && s[12] > 0, "refills and flushes happened");
            assertTrue(s[0] >= 1000, "listallocs counts objects taken from slabs");
            assertTrue(s[1] >= 1000, "maxobjs is the high-water mark");
            assertEquals(1000 / 32 + 1, s[2], "grown: 32 objects per slab");
        }
    }

    /**
     * {@link KmemCache#statistics()} reads the same columns as the slabinfo row, of the whole cache through any alias,
     * without rendering slabinfo (a reader of many caches, such as a metrics scrape, rendered it once per cache), and
     * whether or not the allocator shows them in slabinfo.
     */
    @Test
    void statisticsReadTheSlabinfoColumnsOfTheCacheWithoutSlabinfo() {
        for (boolean shown : new boolean[] {true, false}) {
            KmemCache c;
            try (SlabAllocator a = SlabAllocator.builder()
                    .statistics(shown)
                    .cpus(2)
                    .reapInterval(Duration.ZERO)
                    .build()) {
                c = a.createCache("read", 128);
                KmemCache alias = a.createCache("read-alias", 128);
                assertTrue(alias.isAlias());
                List<MemorySegment> objs = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    objs.add((i % 2 == 0 ? c : alias).alloc());
                }
                objs.forEach(c::free);
                SlabStatistics st = alias.statistics();
                assertEquals(st, c.statistics());
                assertEquals(1000, st.allocHit() + st.allocMiss());
                assertEquals(1000, st.freeHit() + st.freeMiss());
                assertTrue(st.allocMiss() > 0 && st.freeMiss() > 0, st.toString());
                assertEquals(1000 / 32 + 1, st.grown(), st.toString());
                if (shown) {
                    long[] s = stats(a, "read");
                    assertEquals(
                            List.of(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10], s[11], s[12]),
                            List.of(
                                    st.listAllocs(),
                                    st.maxObjs(),
                                    st.grown(),
                                    st.reaped(),
                                    st.errors(),
                                    st.maxFreeable(),
                                    st.nodeAllocs(),
                                    st.remoteFrees(),
                                    st.alienOverflow(),
                                    st.allocHit(),
                                    st.allocMiss(),
                                    st.freeHit(),
                                    st.freeMiss()));
                }
                alias.destroy();
                c.destroy();
                assertEquals(st.grown(), c.statistics().grown(), "a destroyed cache's handle still reads its numbers");
            }
            assertThrows(IllegalStateException.class, c::statistics, "the allocator is closed");
        }
    }

    @Test
    void crossNodeFreesGoThroughAlienCachesAndReturnHome() throws Exception {
        try (SlabAllocator a = SlabAllocator.builder()
                .nodes(2)
                .cpus(4)
                .statistics(true)
                .reapInterval(Duration.ZERO)
                .build()) {
            KmemCache c = a.createCache("alien", 64);
            List<MemorySegment> objs = new ArrayList<>();
            Thread producer = Thread.ofPlatform().start(() -> {
                a.bindCurrentThread(0);
                for (int i = 0; i < 500; i++) {
                    objs.add(c.alloc());
                }
            });
            producer.join();
            Thread consumer = Thread.ofPlatform().start(() -> {
                a.bindCurrentThread(1);
                assertEquals(1, a.currentNode());
                objs.forEach(c::free);
            });
            consumer.join();
            long[] s = stats(a, "alien");
            assertEquals(500, s[7], "every free crossed nodes");
            assertTrue(s[8] > 0, "the 12-entry alien cache overflowed and was drained in batches");
            assertEquals(500, c.frees());
            c.shrink(); // drains alien caches, shared arrays, threads that ended, free slabs
            SlabinfoRows.Row r = SlabinfoRows.parse(a.slabinfo()).get("alien");
            assertEquals(0, r.activeObjs());
            assertEquals(0, r.numSlabs());
        }
    }

    /**
     * A virtual thread's stripe, and so its home node, follows from its id until a virtual thread binds itself; after
     * that, bound ones keep their node and the others keep the stripe their id gave them.
     */
    @Test
    void virtualThreadsKeepTheirHomeNodeBeforeAndAfterABinding() throws Exception {
        try (SlabAllocator a = SlabAllocator.builder().nodes(2).cpus(4).build()) {
            KmemCache c = a.createCache("vt-nodes", 64);
            int[] seen = new int[4];
            Thread before = Thread.ofVirtual().start(() -> {
                seen[0] = a.currentNode();
                c.free(c.alloc());
                seen[1] = a.currentNode();
            });
            before.join();
            assertEquals((int) (before.threadId() % 2), seen[0], "home node by id");
            assertEquals(seen[0], seen[1]);
            Thread bound = Thread.ofVirtual().start(() -> {
                int other = 1 - a.currentNode();
                a.bindCurrentThread(other);
                seen[2] = other;
                seen[3] = a.currentNode();
                c.free(c.alloc());
            });
            bound.join();
            assertEquals(seen[2], seen[3], "bound to the other node");
            Thread after = Thread.ofVirtual().start(() -> {
                seen[0] = a.currentNode();
                c.free(c.alloc());
            });
            after.join();
            assertEquals((int) (after.threadId() % 2), seen[0], "an unbound thread keeps the node its id gives");
            assertEquals(3, c.allocations());
            assertEquals(3, c.frees());
        }
    }

    @Test
    void allocNodeTakesFromTheOtherNode() {
        try (SlabAllocator a = SlabAllocator.builder()
                .nodes(2)
                .statistics(true)
                .reapInterval(Duration.ZERO)
                .build()) {
            KmemCache c = a.createCache("remote", 256);
            a.bindCurrentThread(0);
            MemorySegment local = c.allocNode(0);
            MemorySegment remote = c.allocNode(1);
            MemorySegment big = a.kmallocNode(3000, 1);
            assertEquals(4096, big.byteSize());
            long[] s = stats(a, "remote");
            assertEquals(0, s[6], "the first remote allocation grew a slab on node 1");
            MemorySegment remote2 = c.allocNode(1);
            assertEquals(1, stats(a, "remote")[6], "nodeallocs: taken from node 1's partial slab");
            c.free(local);
            c.free(remote);
            c.free(remote2);
            a.kfree(big);
            assertEquals(3, c.allocations());
            assertThrows(IllegalArgumentException.class, () -> c.allocNode(2));
            assertThrows(IllegalArgumentException.class, () -> a.bindCurrentThread(5));
        }
    }

    @Test
    void aThreadThatEndsLeavesNothingCachedAfterOneReapPeriod() throws Exception {
        try (SlabAllocator a =
                SlabAllocator.builder().cpus(2).reapInterval(REAP).build()) {
            KmemCache c = a.createCache("ephemeral", 64);
            Thread t = Thread.ofPlatform().start(() -> {
                List<MemorySegment> objs = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    objs.add(c.alloc());
                }
                objs.forEach(c::free); // all 100 stay in this thread's array (limit 120)
            });
            t.join();
            assertTrue(SlabinfoRows.parse(a.slabinfo()).get("ephemeral").activeObjs() >= 100, "parked in its array");
            awaitTrue(
                    () -> {
                        SlabinfoRows.Row r = SlabinfoRows.parse(a.slabinfo()).get("ephemeral");
                        return r.activeObjs() == r.sharedAvail();
                    },
                    REAP.multipliedBy(300));
            assertEquals(100, c.frees());
        }
    }

    @Test
    void afterABurstTheReaperGivesMemoryBack() throws Exception {
        try (SlabAllocator a =
                SlabAllocator.builder().cpus(2).reapInterval(REAP).build()) {
            KmemCache small = a.createCache("burst-small", 200);
            KmemCache large = a.createCache("burst-large", 3000);
            ConcurrentLinkedQueue<MemorySegment> all = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 100_000; i++) {
                        all.add(small.alloc()); // ~200 MiB across 4 threads: 20 MB small + 30 MB large each
                        if (i % 10 == 0) {
                            all.add(large.alloc());
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            long peak = a.mappedBytes();
            assertTrue(peak > 150L << 20, "burst mapped " + peak);
            List<Thread> freers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                freers.add(Thread.ofPlatform().start(() -> {
                    for (MemorySegment o; (o = all.poll()) != null; ) {
                        a.kfree(o);
                    }
                }));
            }
            for (Thread t : freers) {
                t.join();
            }
            // Every thread that touched the caches has ended: only the reaper works now.
            // What stays is one chunk: the allocator's own cache descriptors (the kmem_cache cache).
            long bound = 4L << 20;
            long start = System.nanoTime();
            awaitTrue(() -> a.mappedBytes() <= bound, REAP.multipliedBy(300));
            System.out.printf(
                    "burst: peak %d MiB mapped; %d KiB held %d ms after the last free (reap period %d ms)%n",
                    peak >> 20, a.mappedBytes() >> 10, (System.nanoTime() - start) / 1_000_000, REAP.toMillis());
        }
    }

    @Test
    void tuneReachesThreadsOnTheirNextSlowPath() {
        try (SlabAllocator a =
                SlabAllocator.builder().cpus(2).reapInterval(Duration.ZERO).build()) {
            KmemCache c = a.createCache("retuned", 64);
            c.free(c.alloc());
            a.tune("retuned", 4, 2, 0);
            List<MemorySegment> objs = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                objs.add(c.alloc());
            }
            objs.forEach(c::free);
            SlabinfoRows.Row r = SlabinfoRows.parse(a.slabinfo()).get("retuned");
            assertEquals(List.of(4L, 2L, 0L), List.of(r.limit(), r.batchcount(), r.shared()));
            assertTrue(r.activeObjs() <= 4, "the thread's array shrank to the new limit: " + r.activeObjs());
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(condition.getAsBoolean(), "condition not met within " + timeout);
    }

    @Test
    void objectsKeepTheirContentsAcrossNodes() throws Exception {
        try (SlabAllocator a =
                SlabAllocator.builder().nodes(2).reapInterval(REAP).build()) {
            KmemCache c = a.createCache("payload", 64);
            a.bindCurrentThread(1);
            MemorySegment o = c.alloc();
            o.set(JAVA_LONG, 0, 77L);
            Map<String, SlabinfoRows.Row> before = SlabinfoRows.parse(a.slabinfo());
            assertEquals(1, before.get("payload").numSlabs());
            Thread other = Thread.ofPlatform().start(() -> {
                a.bindCurrentThread(0);
                assertEquals(77L, o.get(JAVA_LONG, 0));
                c.free(o);
            });
            other.join();
            assertEquals(1, c.frees());
        }
    }

    /**
     * The reaper destroys free slabs of an OFF_SLAB cache, whose freelists go back to kmalloc through the reaper
     * thread's own array; nobody ever drains that array (the reaper takes no slow path, and it never ends), so those
     * kmalloc objects, and their slabs and chunk, stay after the cache is destroyed and every caller drained and shrank.
     */
    @Test
    void freelistsTheReaperGivesBackStayInNoArray() throws Exception {
        try (SlabAllocator a = SlabAllocator.builder()
                .nodes(1)
                .reapInterval(Duration.ofMillis(1))
                .build()) {
            KmemCache off = a.createCache("off-slab", 512, 0, Set.of(), m -> {}); // a constructor: OFF_SLAB
            assertEquals(FreelistMode.OFF_SLAB, off.geometry().freelistMode());
            List<MemorySegment> objects = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                objects.add(off.alloc());
            }
            objects.forEach(off::free);
            a.drainCurrentThread(); // free slabs within free_limit stay listed, for the reaper
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (off.stats().slabs() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(0, off.stats().slabs(), "the reaper destroyed the free slabs");
            off.destroy();
            a.drainCurrentThread();
            long held = 0;
            for (KmemCache c : a.caches()) {
                c.shrink();
                if (!c.name().equals("kmem_cache")) {
                    held += c.stats().totalObjects();
                }
            }
            assertEquals(0, held, "kmalloc objects still held after destroy, drain and shrink:\n" + a.slabinfo());
        }
    }

    /**
     * An interrupt of the reaper (an application interrupting every thread of its group, say) is not a request to stop:
     * the reaper clears it and parks for its period again. Left set, it made every {@code parkNanos} return at once, and
     * the reaper ran reap passes back to back, a core at 100% until the allocator was closed.
     */
    @Test
    void anInterruptedReaperParksAgainInsteadOfSpinning() throws Exception {
        Set<Thread> before = reapers();
        try (SlabAllocator a =
                SlabAllocator.builder().reapInterval(Duration.ofHours(1)).build()) {
            Set<Thread> started = reapers();
            started.removeAll(before);
            assertEquals(1, started.size(), "the allocator's reaper: " + started);
            Thread reaper = started.iterator().next();
            reaper.interrupt();
            for (int i = 0;
                    i < 2_000 && (reaper.isInterrupted() || reaper.getState() != Thread.State.TIMED_WAITING);
                    i++) {
                Thread.sleep(5);
            }
            assertFalse(reaper.isInterrupted(), "the reaper still carries the interrupt, so parkNanos never parks");
            assertEquals(Thread.State.TIMED_WAITING, reaper.getState(), "the reaper parks for its period");
            assertTrue(reaper.isAlive());
            KmemCache c = a.createCache("after-interrupt", 64);
            c.free(c.alloc());
        }
    }

    private static Set<Thread> reapers() {
        Set<Thread> out = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("slab4j-reaper-")) {
                out.add(t);
            }
        }
        return out;
    }
}
