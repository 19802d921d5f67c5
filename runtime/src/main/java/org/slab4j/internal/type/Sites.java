package org.slab4j.internal.type;

import java.util.Arrays;

/**
 * The allocation-site registry. Each {@code new} of a {@link org.slab4j.annotation.Slab} class gets an id when its
 * class is instrumented; just before the constructor call the instrumented code puts that id in a per-thread slot,
 * which the type's constructor hook takes, so attributing an allocation needs no stack walk.
 */
public final class Sites {
    private static final ThreadLocal<int[]> PENDING = ThreadLocal.withInitial(() -> new int[1]);
    private static final Object LOCK = new Object();
    private static volatile Site[] sites = new Site[64];
    private static int count = 1; // id 0 means "no site"

    private Sites() {}

    /**
     * Registers a site.
     *
     * @param typeName the binary name of the allocated class
     * @param location {@code Class.method:line}
     * @return the site's id, never 0
     */
    public static int register(String typeName, String location) {
        synchronized (LOCK) {
            int id = count++;
            Site[] current = sites;
            if (id == current.length) {
                current = Arrays.copyOf(current, id * 2);
            }
            current[id] = new Site(typeName, location);
            sites = current;
            return id;
        }
    }

    /** @return the site with this id, or {@code null} */
    public static Site byId(int id) {
        Site[] current = sites;
        return id > 0 && id < current.length ? current[id] : null;
    }

    /** @param id the site about to call a constructor on this thread */
    public static void enter(int id) {
        PENDING.get()[0] = id;
    }

    /**
     * Takes this thread's pending site if it allocates {@code type}; a site of another type stays pending.
     *
     * @return the site, or {@code null} if the instance is not made by an instrumented {@code new} of this type
     */
    static Site take(Class<?> type) {
        int[] slot = PENDING.get();
        Site site = byId(slot[0]);
        if (site == null || !site.allocates(type)) {
            return null;
        }
        slot[0] = 0;
        return site;
    }
}
