package org.slab4j.internal.type;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The pending-site relay between an instrumented {@code new} and the constructor hook. */
class SitesTest {
    @Test
    void aThreadTakesItsOwnPendingSiteOnceAndOnlyForItsType() {
        int id = Sites.register(String.class.getName(), "SitesTest.own:1");
        Sites.enter(id);
        assertNull(Sites.take(Integer.class), "a site of another type stays pending");
        assertSame(Sites.byId(id), Sites.take(String.class));
        assertNull(Sites.take(String.class), "taken once");
    }

    /**
     * Two threads whose ids share a table slot, both with a site pending at once: the second falls back to its
     * {@code ThreadLocal}, and each takes its own site.
     */
    @Test
    void threadsWhoseIdsCollideEachTakeTheirOwnSite() throws Exception {
        int first = Sites.register(String.class.getName(), "SitesTest.first:1");
        int second = Sites.register(String.class.getName(), "SitesTest.second:2");
        CyclicBarrier step = new CyclicBarrier(2);
        AtomicReference<Site> tookA = new AtomicReference<>();
        AtomicReference<Site> tookB = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread a = Thread.ofPlatform()
                .unstarted(() -> run(failure, () -> {
                    Sites.enter(first);
                    step.await(); // a's site is pending
                    step.await(); // b's site is pending too
                    tookA.set(Sites.take(String.class));
                }));
        Thread b = collidingWith(
                a,
                () -> run(failure, () -> {
                    step.await();
                    Sites.enter(second);
                    step.await();
                    tookB.set(Sites.take(String.class));
                }));
        a.start();
        b.start();
        a.join();
        b.join();
        assertNull(failure.get());
        assertSame(Sites.byId(first), tookA.get());
        assertSame(Sites.byId(second), tookB.get());
    }

    /** @return an unstarted thread whose id equals {@code other}'s modulo the table size */
    private static Thread collidingWith(Thread other, Runnable task) {
        for (int tries = 0; tries < 4096; tries++) { // ids are handed out in order: 1024 tries suffice
            Thread t = Thread.ofPlatform().unstarted(task);
            if ((t.threadId() - other.threadId()) % 1024 == 0) {
                return t;
            }
        }
        throw new AssertionError("no thread id collides with " + other.threadId());
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void run(AtomicReference<Throwable> failure, Step step) {
        try {
            step.run();
        } catch (Throwable e) {
            failure.set(e);
        }
    }
}
