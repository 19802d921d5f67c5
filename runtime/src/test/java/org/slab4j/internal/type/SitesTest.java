package org.slab4j.internal.type;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;

/** The pending-site relay between an instrumented {@code new} and the constructor hook. */
class SitesTest {
    @Slab(name = "unit-sites-apple", size = 16)
    static final class Apple {
        @SlabSegment
        MemorySegment mem;
    }

    @Slab(name = "unit-sites-pear", size = 16)
    static final class Pear {
        @SlabSegment
        MemorySegment mem;
    }

    @Slab(name = "unit-sites-quince", size = 16, release = Slab.Release.EXPLICIT)
    static final class Quince {
        @SlabSegment
        MemorySegment mem;
    }

    private static final SlabType APPLE = SlabTypes.of(Apple.class);
    private static final SlabType PEAR = SlabTypes.of(Pear.class);
    private static final SlabType QUINCE = SlabTypes.of(Quince.class);

    @Test
    void aThreadTakesItsOwnPendingSiteOnceAndOnlyForItsType() {
        int id = Sites.register(null, Apple.class.getName(), "SitesTest.own:1");
        Sites.enter(id);
        assertNull(Sites.take(PEAR), "a site of another type stays pending");
        assertSame(Sites.byId(id), Sites.take(APPLE));
        assertNull(Sites.take(APPLE), "taken once");
        Sites.enter(id);
        assertSame(Sites.byId(id), Sites.take(APPLE), "known by its type's serial the second time");
    }

    @Test
    void aSiteBoundToOneTypeIsNotTakenForAnotherOfTheSameName() throws Exception {
        SlabType redeployed = appleOfAnotherLoader();
        assertNotEquals(APPLE.serial, redeployed.serial);
        int id = Sites.register(null, Apple.class.getName(), "SitesTest.redeployed:1");
        Sites.enter(id);
        assertSame(Sites.byId(id), Sites.take(APPLE), "bound to the first type it allocates");
        Sites.enter(id);
        assertNull(Sites.take(redeployed), "not to the same-named class of another loader");
        assertSame(Sites.byId(id), Sites.take(APPLE), "still pending for its own type");

        int fresh = Sites.register(null, Apple.class.getName(), "SitesTest.redeployed:2");
        Sites.enter(fresh);
        assertSame(Sites.byId(fresh), Sites.take(redeployed), "a fresh site binds to whichever type comes first");
        Sites.enter(fresh);
        assertNull(Sites.take(APPLE));
        assertSame(Sites.byId(fresh), Sites.take(redeployed));
    }

    /**
     * A label names one site: two {@code new} expressions of one type on one line, or a class instrumented again
     * (retransformed), register the same {@code (loader, type, location)} and must count as one site, or reports show
     * two rows under one label, each with part of the count.
     */
    @Test
    void aLoaderRegisteringOneLabelTwiceGetsOneSite() throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[0], null)) {
            int first = Sites.register(loader, Apple.class.getName(), "SitesTest.twice:7");
            assertEquals(first, Sites.register(loader, Apple.class.getName(), "SitesTest.twice:7"));
            assertNotEquals(first, Sites.register(loader, Pear.class.getName(), "SitesTest.twice:7"));
            assertNotEquals(first, Sites.register(loader, Apple.class.getName(), "SitesTest.twice:8"));
            try (URLClassLoader other = new URLClassLoader(new URL[0], null)) {
                assertNotEquals(first, Sites.register(other, Apple.class.getName(), "SitesTest.twice:7"));
            }
        }
    }

    /**
     * The sites of a loader that is collected are forgotten and their ids handed to the next sites: a hundred
     * deployments of ten sites each, one after the other, take the ids of about one.
     */
    @Test
    void theIdsOfACollectedLoadersSitesAreReused() throws Exception {
        int lowest = Integer.MAX_VALUE;
        int highest = 0;
        for (int deploy = 0; deploy < 100; deploy++) {
            int[] ids = new int[10];
            WeakReference<ClassLoader> loader = registerSitesOfAThrowawayLoader(ids);
            for (int id : ids) {
                lowest = Math.min(lowest, id);
                highest = Math.max(highest, id);
            }
            for (int i = 0; i < 500 && (loader.get() != null || Sites.byId(ids[9]) != null); i++) {
                System.gc();
                Thread.sleep(5);
                Sites.forgetCollected(); // as the next registration or report does
            }
            assertNull(loader.get());
            assertNull(Sites.byId(ids[0]), "forgotten with its loader");
        }
        assertTrue(highest - lowest < 20, "ids " + lowest + " to " + highest + " for 100 deployments of 10 sites");
    }

    /**
     * A site forgotten with its loader, still held by a reader that listed its type's sites just before (a report, the
     * type's MBean), does not count the allocations of the site that took its id: its total once read the new site's
     * per-thread counters, so that the report showed them twice, under both locations.
     */
    @Test
    void aForgottenSiteDoesNotCountTheAllocationsOfTheSiteThatReusesItsId() throws Exception {
        Site[] held = new Site[1];
        WeakReference<ClassLoader> loader = registerAndCountAtASiteOfAThrowawayLoader(held);
        Site old = held[0];
        for (int i = 0; i < 500 && (loader.get() != null || Sites.byId(old.id) != null); i++) {
            System.gc();
            Thread.sleep(5);
            Sites.forgetCollected(); // as the next registration or report does
        }
        assertNull(Sites.byId(old.id), "forgotten with its loader");
        long before = old.allocations();
        Site reused = null;
        for (int i = 0; i < 1000 && reused == null; i++) { // the freed id is handed out again, first or soon
            Site next = Sites.byId(Sites.register(null, Apple.class.getName(), "SitesTest.reuser:" + i));
            reused = next.id == old.id ? next : null;
        }
        assertNotNull(reused, "id " + old.id + " handed out again");
        for (int i = 0; i < 5; i++) {
            Sites.count(reused, 1);
        }
        assertEquals(5, reused.allocations());
        assertEquals(before, old.allocations(), "the forgotten site counts the new site's allocations");
    }

    /**
     * A type of a loader that lives on (a shared library's), allocated by every deployment of a class whose loader is
     * then collected, and whose sites no report reads: it does not keep a row for each deployment. Its list of sites
     * was pruned only when read, so that an application without reports kept every redeploy's sites in it (and copied
     * them all at each new site's first allocation).
     */
    @Test
    void aTypeWhoseSitesNoOneReadsDoesNotKeepTheSitesOfCollectedLoaders() throws Exception {
        for (int deploy = 0; deploy < 20; deploy++) {
            int[] id = new int[1];
            WeakReference<ClassLoader> loader = allocateAtASiteOfAThrowawayLoader(deploy, id);
            for (int i = 0; i < 500 && (loader.get() != null || Sites.byId(id[0]) != null); i++) {
                System.gc();
                Thread.sleep(5);
                Sites.forgetCollected(); // as the next registration does; no report reads QUINCE's sites
            }
            assertNull(Sites.byId(id[0]), "forgotten with its loader");
        }
        assertTrue(QUINCE.sites.size() <= 2, "sites kept after 20 deployments: " + QUINCE.sites.size());
    }

    /** Registers a site of a new loader, which the caller drops, allocates there once, and puts its id in id. */
    private static WeakReference<ClassLoader> allocateAtASiteOfAThrowawayLoader(int deploy, int[] id) {
        ClassLoader loader = new URLClassLoader(new URL[0], null);
        id[0] = Sites.register(loader, Quince.class.getName(), "Deployed.make:" + deploy);
        Quince q = new Quince();
        Sites.enter(id[0]);
        q.mem = SlabTypes.construct(q, QUINCE);
        QUINCE.cache().free(q.mem);
        return new WeakReference<>(loader);
    }

    /** Registers a site of a new loader, which the caller drops, counts three allocations there, and puts it in held. */
    private static WeakReference<ClassLoader> registerAndCountAtASiteOfAThrowawayLoader(Site[] held) {
        ClassLoader loader = new URLClassLoader(new URL[0], null);
        held[0] = Sites.byId(Sites.register(loader, Apple.class.getName(), "Deployed.counted:1"));
        for (int i = 0; i < 3; i++) {
            Sites.count(held[0], 1);
        }
        return new WeakReference<>(loader);
    }

    /** Registers {@code ids.length} sites of a new loader, which the caller drops, and puts their ids in {@code ids}. */
    private static WeakReference<ClassLoader> registerSitesOfAThrowawayLoader(int[] ids) {
        ClassLoader loader = new URLClassLoader(new URL[0], null);
        for (int i = 0; i < ids.length; i++) {
            ids[i] = Sites.register(loader, Apple.class.getName(), "Deployed.site:" + i);
        }
        return new WeakReference<>(loader);
    }

    /** A second class named as {@link Apple}, from a loader of its own, as after a redeploy. */
    private static SlabType appleOfAnotherLoader() throws Exception {
        URL classes = Apple.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes}, SitesTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (!name.equals(Apple.class.getName())) {
                    return super.loadClass(name, resolve);
                }
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    return c != null ? c : findClass(name);
                }
            }
        }) {
            Class<?> other = loader.loadClass(Apple.class.getName());
            assertNotSame(Apple.class, other);
            return SlabTypes.of(other);
        }
    }

    /**
     * Two threads whose ids share a table slot, both with a site pending at once: the second falls back to its
     * {@code ThreadLocal}, and each takes its own site.
     */
    @Test
    void threadsWhoseIdsCollideEachTakeTheirOwnSite() throws Exception {
        int first = Sites.register(null, Apple.class.getName(), "SitesTest.first:1");
        int second = Sites.register(null, Apple.class.getName(), "SitesTest.second:2");
        CyclicBarrier step = new CyclicBarrier(2);
        AtomicReference<Site> tookA = new AtomicReference<>();
        AtomicReference<Site> tookB = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread a = Thread.ofPlatform()
                .unstarted(() -> run(failure, () -> {
                    Sites.enter(first);
                    step.await(); // a's site is pending
                    step.await(); // b's site is pending too
                    tookA.set(Sites.take(APPLE));
                }));
        Thread b = collidingWith(
                a,
                () -> run(failure, () -> {
                    step.await();
                    Sites.enter(second);
                    step.await();
                    tookB.set(Sites.take(APPLE));
                }));
        a.start();
        b.start();
        a.join();
        b.join();
        assertNull(failure.get());
        assertSame(Sites.byId(first), tookA.get());
        assertSame(Sites.byId(second), tookB.get());
    }

    /**
     * Allocation counts: each platform thread's own counters, a virtual thread's and a colliding thread's in the site's
     * adder, an ended thread's folded in when a new thread takes its slot; the total is exact throughout.
     */
    @Test
    void countsFromEveryKindOfThreadAddUpExactly() throws Exception {
        Site site = Sites.byId(Sites.register(null, String.class.getName(), "SitesTest.counts:1"));
        Runnable countThousand = () -> {
            for (int i = 0; i < 1000; i++) {
                Sites.count(site, 1);
            }
        };
        Thread[] platform = new Thread[4];
        for (int i = 0; i < platform.length; i++) {
            platform[i] = Thread.ofPlatform().start(countThousand);
        }
        Thread virtual = Thread.ofVirtual().start(countThousand);
        CyclicBarrier holding = new CyclicBarrier(2);
        Thread owner = Thread.ofPlatform()
                .unstarted(() -> run(new AtomicReference<>(), () -> {
                    Sites.count(site, 1); // takes its slot
                    holding.await();
                    holding.await();
                }));
        Thread colliding = collidingWith(owner, countThousand);
        owner.start();
        holding.await();
        colliding.start();
        colliding.join(); // counted in the adder: the slot's owner is alive
        holding.await();
        owner.join();
        for (Thread t : platform) {
            t.join();
        }
        virtual.join();
        assertEquals(6001, site.allocations());
        Thread successor = collidingWith(owner, () -> Sites.count(site, -1)); // folds the ended owner's count
        successor.start();
        successor.join();
        assertEquals(6000, site.allocations());
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
