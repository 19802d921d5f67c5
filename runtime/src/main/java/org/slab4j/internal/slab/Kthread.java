package org.slab4j.internal.slab;

import java.util.concurrent.ThreadFactory;

/**
 * {@code kthread_create}: every thread slab4j starts (reaper, reclaimer, report, exit report) is made here, so that it
 * carries nothing of the thread that happened to start it. A platform thread otherwise inherits its creator's context
 * class loader and inheritable thread locals; slab4j's threads start on first use, which in an application server may
 * be a deployment's code, and would then keep that deployment's class loader (and every class of it) for good.
 */
public final class Kthread {
    private Kthread() {}

    /**
     * @return an unstarted daemon thread named {@code name} that runs {@code work}, with no context class loader and no
     *     inherited inheritable thread locals
     */
    public static Thread create(String name, Runnable work) {
        return detached(Thread.ofPlatform().daemon().name(name), work);
    }

    /** @return a factory of the threads of {@link #create}, all named {@code name} */
    public static ThreadFactory factory(String name) {
        return work -> create(name, work);
    }

    /**
     * @return an unstarted thread for {@link Runtime#addShutdownHook} (not a daemon: a hook runs to its end anyway),
     *     carrying nothing of its creator as {@link #create} says
     */
    public static Thread shutdownHook(String name, Runnable work) {
        return detached(Thread.ofPlatform().name(name), work);
    }

    private static Thread detached(Thread.Builder.OfPlatform builder, Runnable work) {
        Thread t = builder.inheritInheritableThreadLocals(false).unstarted(work);
        t.setContextClassLoader(null);
        return t;
    }
}
