package org.slab4j.it;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Loads {@link Plugin} through a child-first loader that holds the whole class path, slab4j-runtime and SLF4J included
 * (a web application that ships the runtime), then through a parent-first loader with the same class path; prints what
 * each copy of the plugin says of its segment and which slab4j threads run. {@link ChildFirstRuntimeIT} checks it.
 */
public final class ChildFirstRuntimeApp {
    private ChildFirstRuntimeApp() {}

    public static void main(String[] args) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            urls.add(Path.of(entry).toUri().toURL());
        }
        URL[] classPath = urls.toArray(new URL[0]);
        try (URLClassLoader childFirst = new ChildFirst(classPath)) {
            report("child-first", childFirst);
        }
        try (URLClassLoader parentFirst =
                new URLClassLoader("parent-first", classPath, ClassLoader.getPlatformClassLoader())) {
            report("parent-first", parentFirst);
        }
        List<String> threads = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("slab4j")) {
                threads.add(thread.getName());
            }
        }
        System.out.println("slab4j threads: " + threads);
    }

    private static void report(String name, ClassLoader loader) throws Exception {
        Class<?> plugin = loader.loadClass(Plugin.class.getName());
        if (plugin.getClassLoader() != loader) {
            throw new AssertionError(name + " did not define the plugin itself");
        }
        Supplier<?> supplier = (Supplier<?>) plugin.getConstructor().newInstance();
        System.out.println(name + ": " + supplier.get());
    }

    /** Looks in its own URLs before asking its parent, for every class but the JDK's. */
    private static final class ChildFirst extends URLClassLoader {
        ChildFirst(URL[] urls) {
            super("child-first", urls, ChildFirstRuntimeApp.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null && !name.startsWith("java.")) {
                    try {
                        c = findClass(name);
                    } catch (ClassNotFoundException e) {
                        // the parent's then
                    }
                }
                if (c == null) {
                    c = super.loadClass(name, false);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
