package org.slab4j.sample;

/** Placeholder entry point; the runtime demo lands with the runtime core. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("slab4j sample app");
    }
}
