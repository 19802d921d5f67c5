package org.slab4j.it;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CountDownLatch;

/**
 * Thread B defines a class in loader M, holding M's lock, until thread A, defining a class in M's child L, waits for
 * that lock (the agent's check that L sees the runtime looks up through M). B's own class then makes the agent check
 * M: that check must not wait for anything A holds. Prints "both defined", or exits with status 2 naming the deadlock.
 */
public final class LoaderRaceApp {
    private LoaderRaceApp() {}

    public static void main(String[] args) throws Exception {
        Thread[] a = new Thread[1];
        CountDownLatch bHoldsM = new CountDownLatch(1);
        ClassLoader m = new Defining(LoaderRaceApp.class.getClassLoader(), SelfCopying.Second.class.getName()) {
            @Override
            void beforeDefining() throws InterruptedException {
                bHoldsM.countDown();
                while (a[0] == null || a[0].getState() != Thread.State.BLOCKED) {
                    Thread.sleep(1);
                }
            }
        };
        ClassLoader l = new Defining(m, SelfCopying.First.class.getName());
        Thread b = Thread.ofPlatform().daemon().start(() -> load(m, SelfCopying.Second.class.getName()));
        bHoldsM.await();
        a[0] = Thread.ofPlatform().daemon().start(() -> load(l, SelfCopying.First.class.getName()));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        while (a[0].isAlive() || b.isAlive()) {
            long[] deadlocked = threads.findMonitorDeadlockedThreads();
            if (deadlocked != null) {
                for (ThreadInfo info : threads.getThreadInfo(deadlocked, true, true)) {
                    System.out.print(info);
                }
                System.exit(2);
            }
            a[0].join(20);
        }
        System.out.println("both defined");
    }

    private static void load(ClassLoader loader, String name) {
        try {
            Class.forName(name, true, loader);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    /** Defines one class itself, from the test classes, under its own lock (it is not parallel capable). */
    private static class Defining extends ClassLoader {
        private final String own;

        Defining(ClassLoader parent, String own) {
            super(parent);
            this.own = own;
        }

        void beforeDefining() throws InterruptedException {}

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(own)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c != null) {
                    return c;
                }
                try (InputStream in =
                        LoaderRaceApp.class.getResourceAsStream("/" + name.replace('.', '/') + ".class")) {
                    byte[] bytes = in.readAllBytes();
                    beforeDefining();
                    return defineClass(name, bytes, 0, bytes.length);
                } catch (IOException | InterruptedException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
        }
    }
}
