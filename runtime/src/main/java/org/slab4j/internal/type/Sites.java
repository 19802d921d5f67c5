package org.slab4j.internal.type;

import java.util.Arrays;

/**
 * The allocation-site registry. Each {@code new} of a {@link org.slab4j.annotation.Slab} class gets an id when its
 * class is instrumented; just before the constructor call the instrumented code puts that id in a per-thread slot,
 * which the type's constructor hook takes, so attributing an allocation needs no stack walk.
 *
 * <p>The per-thread slot is found by thread id in a direct-mapped table, as the runtime finds a thread's array cache
 * (two {@code ThreadLocal} look-ups cost more than the rest of the attribution): a table entry holds the thread id and
 * the pending site id, so a thread never takes another thread's site. A thread whose entry is held by a pending site of
 * a colliding thread (ids equal modulo {@value #SLOTS}) uses a {@code ThreadLocal} instead. The one case that loses an
 * attribution (counted under the type's unattributed site) is two colliding threads entering a site at the same instant.
 */
public final class Sites {
    private static final int SLOTS = 1024;
    /** Eight longs (a cache line) per slot, so that threads do not write to each other's lines. */
    private static final int STRIDE = 8;

    private static final int ID_BITS = 24;
    private static final long ID_MASK = (1L << ID_BITS) - 1;
    /**
     * {@code threadId << ID_BITS | siteId}, by {@code threadId % SLOTS}; a site id of 0 means nothing is pending. Plain
     * accesses: a thread reads back only what it wrote itself, and other threads' writes can only fail its id check.
     */
    private static final long[] PENDING_BY_TID = new long[SLOTS * STRIDE];

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
     * @throws IllegalStateException past 2<sup>24</sup> - 1 sites
     */
    public static int register(String typeName, String location) {
        synchronized (LOCK) {
            if (count > ID_MASK) {
                throw new IllegalStateException("more than " + ID_MASK + " allocation sites of @Slab classes");
            }
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
        long tid = Thread.currentThread().threadId();
        int slot = slot(tid);
        long held = PENDING_BY_TID[slot];
        if (held >>> ID_BITS == tid || (held & ID_MASK) == 0) {
            PENDING_BY_TID[slot] = tid << ID_BITS | id;
        } else {
            PENDING.get()[0] = id; // a colliding thread's site is pending there
        }
    }

    /**
     * Takes this thread's pending site if it allocates {@code type}; a site of another type stays pending.
     *
     * @return the site, or {@code null} if the instance is not made by an instrumented {@code new} of this type
     */
    static Site take(Class<?> type) {
        long tid = Thread.currentThread().threadId();
        int slot = slot(tid);
        long held = PENDING_BY_TID[slot];
        if (held >>> ID_BITS == tid) {
            Site site = byId((int) (held & ID_MASK));
            if (site == null || !site.allocates(type)) {
                return null;
            }
            PENDING_BY_TID[slot] = tid << ID_BITS;
            return site;
        }
        int[] pending = PENDING.get();
        Site site = byId(pending[0]);
        if (site == null || !site.allocates(type)) {
            return null;
        }
        pending[0] = 0;
        return site;
    }

    private static int slot(long tid) {
        return ((int) tid & (SLOTS - 1)) * STRIDE;
    }
}
