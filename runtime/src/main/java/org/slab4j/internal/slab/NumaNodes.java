package org.slab4j.internal.slab;

import java.io.File;

/**
 * The machine's NUMA node count, as Linux lists it under {@code /sys/devices/system/node} ({@code nr_node_ids}).
 *
 * <p>slab4j does not bind a node's memory with {@code mbind}: that needs a native downcall, a restricted FFM method
 * that would make every application run with {@code --enable-native-access}. A node's chunks are zeroed by the arena
 * in the thread that grows the slab, so under Linux's default first-touch policy they land on that thread's node;
 * binding threads to nodes ({@code bindCurrentThread}) keeps that in step.
 */
public final class NumaNodes {
    private NumaNodes() {}

    /** @return the number of NUMA nodes the OS reports, or 1 where it reports none */
    public static int count() {
        File[] nodes = new File("/sys/devices/system/node").listFiles((dir, name) -> name.matches("node[0-9]+"));
        return nodes == null || nodes.length == 0 ? 1 : Math.min(nodes.length, 64);
    }
}
