package org.slab4j.it;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;
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

    private static void assertInstrumented(Class<?> other) throws Exception {
        assertNotSame(Order.class, other);
        Object order = other.getConstructor(long.class).newInstance(11L);
        assertEquals(11, Slabs.segmentOf(order).get(JAVA_LONG, 0));
        assertEquals(1, Slabs.stats(other).allocations());
        Slabs.free(order);
        assertEquals(1, Slabs.stats(other).frees());
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
