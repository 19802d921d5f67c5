package org.slab4j.it;

import net.bytebuddy.ByteBuddy;
import org.slab4j.Slabs;
import org.slf4j.LoggerFactory;

/**
 * An application with its own Byte Buddy and SLF4J (older versions than the agent's) that also uses a {@code @Slab}
 * class; {@link ConflictingLibrariesIT} runs it with the agent.
 */
public final class ConflictingApp {
    private ConflictingApp() {}

    public static void main(String[] args) throws Exception {
        Class<?> generated = new ByteBuddy()
                .subclass(Object.class)
                .name("org.slab4j.it.Generated")
                .make()
                .load(ConflictingApp.class.getClassLoader())
                .getLoaded();
        LoggerFactory.getLogger(ConflictingApp.class).info("application logging works");
        Order order = new Order(5);
        System.out.println("bytebuddy "
                + ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation());
        System.out.println("slf4j "
                + LoggerFactory.class.getProtectionDomain().getCodeSource().getLocation());
        System.out.println("generated " + generated.getName());
        System.out.println("order " + Slabs.segmentOf(order).get(java.lang.foreign.ValueLayout.JAVA_LONG, 0));
        Slabs.free(order);
    }
}
