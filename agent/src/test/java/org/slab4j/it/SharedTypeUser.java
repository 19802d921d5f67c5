package org.slab4j.it;

import org.slab4j.Slabs;

/**
 * A deployment's class that makes instances of a {@code @Slab} class of a loader that outlives it ({@link Order} of the
 * application's loader, as a shared library's): see {@code ClassLoaderIT}.
 */
public final class SharedTypeUser {
    private SharedTypeUser() {}

    /** Makes and frees one {@link Order} at this class's one allocation site. */
    public static void use() {
        Slabs.free(new Order(3));
    }
}
