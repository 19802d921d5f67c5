package org.slab4j.agent;

import java.util.Map;
import java.util.Set;

/**
 * What the transformer knows of a class's methods before it rewrites them, by {@code name + descriptor}.
 *
 * @param freeSlots each method's first local slot past the ones it uses ({@link SpareLocals#firstFree})
 * @param unfenced the methods that get no reachability fence (see {@link Fences}), which a retry may add to
 */
record MethodFacts(Map<String, Integer> freeSlots, Set<String> unfenced) {
    /** @return whether method {@code name + descriptor} gets reachability fences */
    boolean fenced(String name, String descriptor) {
        return !unfenced.contains(name + descriptor);
    }

    /** @return the first local slot past the ones method {@code name + descriptor} (one with code) uses */
    int firstFree(String name, String descriptor) {
        return freeSlots.get(name + descriptor);
    }
}
