package org.slab4j.it;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.slab4j.KmemCache;
import org.slab4j.SlabAllocator;
import org.slab4j.Slabs;

/** Runs with the packaged agent: {@code @Slab} classes of other class loaders are instrumented too. */
class ClassLoaderIT {
    private static final URL TEST_CLASSES =
            ClassLoaderIT.class.getProtectionDomain().getCodeSource().getLocation();

    @Test
    void urlClassLoader() throws Exception {
        try (URLClassLoader loader =
                new URLClassLoader(new URL[] {TEST_CLASSES}, ClassLoader.getPlatformClassLoader())) {
            assertInstrumented(loader.loadClass(Order.class.getName()));
        }
    }

    @Test
    void childFirstClassLoader() throws Exception {
        try (URLClassLoader loader = new ChildFirst(TEST_CLASSES, ClassLoaderIT.class.getClassLoader())) {
            assertInstrumented(loader.loadClass(Order.class.getName()));
        }
    }

    /**
     * A loader that keeps every class but the JDK's to itself (a module system without boot delegation) cannot link
     * slab4j's hooks: a class of it that has nothing to do with {@code @Slab} is left as compiled and runs.
     */
    @Test
    void aClassOfALoaderThatCannotSeeTheRuntimeIsLeftAsCompiled() throws Exception {
        try (URLClassLoader loader = new Isolating(TEST_CLASSES)) {
            Class<?> plain = loader.loadClass(PlainCopy.class.getName());
            assertEquals(loader, plain.getClassLoader());
            assertEquals(3, plain.getMethod("copied").invoke(null));
        }
    }

    /** Two loaders defining classes at once on two threads, one loader the other's parent: see {@link LoaderRaceApp}. */
    @Test
    void twoLoadersDefiningClassesAtOnceDoNotDeadlockInTheAgent() throws Exception {
        String output = Forked.java(
                "-javaagent:" + Forked.agent() + "=report=0",
                "-cp",
                Forked.testClasses(),
                LoaderRaceApp.class.getName());
        assertTrue(output.contains("both defined"), output);
    }

    /**
     * slab4j's threads (reaper, reclaimer, report, exit report) start first under a deployment's context class loader
     * and inheritable thread locals: they keep neither, so the deployment's loader is collected once dropped. See
     * {@link ContextLoaderApp}; the default options, so that every one of those threads starts.
     */
    @Test
    void slab4jThreadsStartedUnderADeploymentDoNotKeepItsLoader() throws Exception {
        String output = Forked.java(
                "-javaagent:" + Forked.agent(), "-cp", Forked.testClasses(), ContextLoaderApp.class.getName());
        assertTrue(output.contains("loader collected=true"), output);
    }

    @Test
    void aLoaderWhoseSlabClassWasUsedIsCollectedAndItsEmptyCacheDestroyed() throws Exception {
        List<String> names = new ArrayList<>();
        for (int deploy = 0; deploy < 3; deploy++) {
            List<String> caches = new ArrayList<>();
            WeakReference<ClassLoader> loader = useOnceAndDrop(caches);
            names.add(caches.getFirst());
            for (int i = 0; i < 500 && (loader.get() != null || !disjoint(caches, cacheNames())); i++) {
                System.gc();
                Thread.sleep(10);
            }
            assertNull(loader.get(), "the loader of a used @Slab class is collected");
            assertTrue(disjoint(caches, cacheNames()), "the caches of collected classes are destroyed once empty");
        }
        assertTrue(suffix(names.get(2)) <= suffix(names.get(0)), "a redeployed class takes a freed name: " + names);
    }

    /**
     * The {@code SlabType} MBean of a class goes with the class: it stayed registered once the class was unloaded, and
     * every read of it threw "no @Slab type has cache ...", one more such bean for each name a redeploy left behind.
     */
    @Test
    void theMBeansOfAnUnloadedClassesTypesAreUnregistered() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName global = new ObjectName("org.slab4j:type=SlabAllocator,name=global");
        List<String> caches = new ArrayList<>();
        WeakReference<ClassLoader> loader = useOnceAndDrop(caches);
        server.getAttribute(global, "Caches"); // brings the beans in step: one per type
        for (String cache : caches) {
            assertTrue(server.isRegistered(typeBean(cache)), cache);
        }
        for (int i = 0; i < 500 && (loader.get() != null || !disjoint(caches, cacheNames())); i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(loader.get(), "the loader of a used @Slab class is collected");
        assertTrue(disjoint(caches, cacheNames()), "the caches of collected classes are destroyed once empty");
        server.getAttribute(global, "Caches");
        for (String cache : caches) {
            assertFalse(server.isRegistered(typeBean(cache)), "the bean of a type whose class is gone: " + cache);
        }
    }

    /**
     * The allocation sites of a deployment's classes go with its loader, also those of a {@code @Slab} class that lives
     * on (a shared library's): every redeploy of {@link SharedTypeUser} added one more row of the same location to
     * {@link Order}'s sites, and one more site to a registry that never shrank.
     */
    @Test
    void theSitesOfACollectedLoaderAreForgotten() throws Exception {
        String location = SharedTypeUser.class.getName() + ".use:";
        List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
        for (int deploy = 0; deploy < 3; deploy++) {
            try (URLClassLoader loader = new OnlyItself(TEST_CLASSES, SharedTypeUser.class.getName())) {
                Class<?> user = loader.loadClass(SharedTypeUser.class.getName());
                assertNotSame(SharedTypeUser.class, user);
                user.getMethod("use").invoke(null);
                loaders.add(new WeakReference<>(loader));
            }
        }
        assertEquals(3, sitesAt(location), "one site per deployment while it lives");
        for (int i = 0; i < 500 && (loaders.stream().anyMatch(l -> l.get() != null) || sitesAt(location) > 0); i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertTrue(loaders.stream().allMatch(l -> l.get() == null), "the deployments' loaders are collected");
        assertEquals(
                0,
                sitesAt(location),
                "the sites of collected loaders: " + Slabs.stats(Order.class).sites());
    }

    private static long sitesAt(String location) {
        return Slabs.stats(Order.class).sites().stream()
                .filter(s -> s.location().startsWith(location))
                .count();
    }

    private static ObjectName typeBean(String cache) throws Exception {
        return new ObjectName("org.slab4j:type=SlabType,allocator=global,name=" + cache); // names without , = : " * ?
    }

    /**
     * In a loader of its own, makes and frees an {@link Order} and loses a {@code TRACKED} {@link Fixtures.Lost}.
     *
     * @param caches gets the names of their caches
     */
    private static WeakReference<ClassLoader> useOnceAndDrop(List<String> caches) throws Exception {
        URLClassLoader loader = new URLClassLoader(new URL[] {TEST_CLASSES}, ClassLoader.getPlatformClassLoader());
        Class<?> order = loader.loadClass(Order.class.getName());
        Slabs.free(order.getConstructor(long.class).newInstance(1L));
        Class<?> lost = loader.loadClass(Fixtures.Lost.class.getName());
        var constructor = lost.getDeclaredConstructor();
        constructor.setAccessible(true);
        constructor.newInstance();
        caches.add(Slabs.stats(order).cache());
        caches.add(Slabs.stats(lost).cache());
        loader.close();
        return new WeakReference<>(loader);
    }

    private static boolean disjoint(List<String> some, List<String> others) {
        return some.stream().noneMatch(others::contains);
    }

    private static List<String> cacheNames() {
        return SlabAllocator.global().caches().stream().map(KmemCache::name).toList();
    }

    private static int suffix(String name) {
        int hash = name.lastIndexOf('#');
        return hash < 0 ? 1 : Integer.parseInt(name.substring(hash + 1));
    }

    private static void assertInstrumented(Class<?> other) throws Exception {
        assertNotSame(Order.class, other);
        Object order = other.getConstructor(long.class).newInstance(11L);
        assertEquals(11, Slabs.segmentOf(order).get(JAVA_LONG, 0));
        assertEquals(1, Slabs.stats(other).allocations());
        Slabs.free(order);
        assertEquals(1, Slabs.stats(other).frees());
    }

    /** Finds only {@code java.*} outside its own URL. */
    private static final class Isolating extends URLClassLoader {
        Isolating(URL url) {
            super(new URL[] {url}, null);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("java.")) {
                return ClassLoader.getPlatformClassLoader().loadClass(name);
            }
            synchronized (getClassLoadingLock(name)) { // not the bootstrap loader, where the agent put the runtime
                Class<?> c = findLoadedClass(name);
                return c != null ? c : findClass(name);
            }
        }

        @Override
        public URL getResource(String name) {
            return findResource(name);
        }
    }

    /** Defines one class of its URL itself, and leaves every other to its parent (the application's loader). */
    private static final class OnlyItself extends URLClassLoader {
        private final String own;

        OnlyItself(URL url, String own) {
            super(new URL[] {url}, ClassLoaderIT.class.getClassLoader());
            this.own = own;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(own)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                return c != null ? c : findClass(name);
            }
        }
    }

    /** Looks in its own URLs before asking its parent. */
    private static final class ChildFirst extends URLClassLoader {
        ChildFirst(URL url, ClassLoader parent) {
            super(new URL[] {url}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try {
                        c = findClass(name);
                    } catch (ClassNotFoundException e) {
                        c = super.loadClass(name, false);
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
