package org.slab4j.it;

import java.io.IOException;
import org.slab4j.Slabs;

/**
 * Makes an {@link Order} (so the runtime is loaded from the bootstrap class path), prints {@code ready}, and waits for
 * its standard input to close; {@link RuntimeJarIT} kills it with SIGKILL while it waits.
 */
public final class WaitingApp {
    private WaitingApp() {}

    public static void main(String[] args) throws IOException {
        Order order = new Order(7);
        System.out.println("ready: order " + order.id() + " in cache "
                + Slabs.cacheOf(Order.class).name());
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait
        }
    }
}
