package org.slab4j.it;

import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import org.slab4j.Slabs;

/**
 * Deploys a plugin as application servers do: its loader is the context class loader, and one of its classes the value
 * of an inheritable thread local, while its code makes slab4j's first use (so slab4j's threads start then); the plugin
 * makes and frees an {@link Order} and loses a {@code TRACKED} {@link Fixtures.Lost}, then is dropped. Prints whether
 * its loader was collected, and the threads that still hold it.
 */
public final class ContextLoaderApp {
    private static final InheritableThreadLocal<Object> DEPLOYMENT = new InheritableThreadLocal<>();

    private ContextLoaderApp() {}

    public static void main(String[] args) throws Exception {
        WeakReference<ClassLoader> plugin = deployAndDrop();
        for (int i = 0; i < 200 && plugin.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        ClassLoader held = plugin.get();
        System.out.println("loader collected=" + (held == null));
        if (held != null) {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getContextClassLoader() == held) {
                    System.out.println("held as context class loader by thread " + t.getName());
                }
            }
        }
    }

    private static WeakReference<ClassLoader> deployAndDrop() throws Exception {
        URL classes =
                ContextLoaderApp.class.getProtectionDomain().getCodeSource().getLocation();
        URLClassLoader loader = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader());
        Thread me = Thread.currentThread();
        ClassLoader before = me.getContextClassLoader();
        me.setContextClassLoader(loader);
        try {
            Class<?> order = loader.loadClass(Order.class.getName());
            DEPLOYMENT.set(order);
            Slabs.free(order.getConstructor(long.class).newInstance(1L));
            var lost = loader.loadClass(Fixtures.Lost.class.getName()).getDeclaredConstructor();
            lost.setAccessible(true);
            lost.newInstance();
        } finally {
            DEPLOYMENT.remove();
            me.setContextClassLoader(before);
        }
        loader.close();
        return new WeakReference<>(loader);
    }
}
