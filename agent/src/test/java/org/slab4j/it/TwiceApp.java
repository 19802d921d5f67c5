package org.slab4j.it;

import org.slab4j.Slabs;

/** Makes and frees ten {@link Order}s, then prints the type's counts; {@link AgentTwiceIT} runs it with two agents. */
public final class TwiceApp {
    private TwiceApp() {}

    public static void main(String[] args) {
        for (int i = 0; i < 10; i++) {
            Order order = new Order(i);
            if (order.id() != i) {
                throw new AssertionError("order " + i + " reads " + order.id());
            }
            Slabs.free(order);
        }
        Slabs.TypeStats stats = Slabs.stats(Order.class);
        System.out.println("allocations=" + stats.allocations() + " frees=" + stats.frees() + " cache allocations="
                + Slabs.cacheOf(Order.class).allocations());
    }
}
