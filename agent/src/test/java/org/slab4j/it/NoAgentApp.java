package org.slab4j.it;

import org.slab4j.Slabs;

/**
 * Makes a {@code @Slab} object in a JVM without the agent and prints what {@link Slabs} says of it and of its
 * class.
 */
public final class NoAgentApp {
    private NoAgentApp() {}

    public static void main(String[] args) {
        Hierarchy.Root root = new Hierarchy.Root();
        try {
            Slabs.segmentOf(root);
            System.out.println("segmentOf: no exception");
        } catch (RuntimeException e) {
            System.out.println("segmentOf: " + e);
        }
        try {
            Slabs.free(root);
            System.out.println("free: no exception");
        } catch (RuntimeException e) {
            System.out.println("free: " + e);
        }
        try {
            System.out.println("stats: " + Slabs.stats(Hierarchy.Root.class));
        } catch (RuntimeException e) {
            System.out.println("stats: " + e);
        }
        try {
            System.out.println("cacheOf: " + Slabs.cacheOf(Hierarchy.Root.class));
        } catch (RuntimeException e) {
            System.out.println("cacheOf: " + e);
        }
    }
}
