package org.slab4j.internal.type;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 *
 * <p>Allocations are counted the same way, without atomics: a platform thread owns a {@link Counts} of plain counters
 * by site id, found by thread id in {@link #COUNTS_BY_TID}, as the runtime's per-thread array caches count per handle.
 * A site's total adds every owner's counter to the site's {@code LongAdder}, which takes the allocations of virtual
 * threads and of platform threads whose slot another live thread owns, and the counts of ended threads, folded in
 * when a new thread takes their slot.
 *
 * <p>A site lives as long as the class loader of the class holding its {@code new} expression (its owner): once that
 * loader is collected (a redeploy), no code can enter the site any more, so its id is forgotten (its entry and its
 * per-thread counters) and handed to the next site registered, and its type drops it from its sites. The registry then
 * grows with the sites of the loaders alive, not with every class a redeploy ever loaded. The forgetting is lazy: the
 * next registration and the next read of a type's sites ({@link #forgetCollected}) take the collected owners off a
 * reference queue, so that no thread is started and no other lock taken while the agent instruments a class. (A site
 * left pending on a thread when its loader went, by a constructor that threw before taking it, could attribute one
 * allocation of that thread to the next owner of the id; nothing else of a forgotten site is read, and a reader still
 * holding one counts its adder, never the counters of its id's next owner.)
 *
 * <p>Guards: {@link #LOCK} guards the registry ({@code sites}' contents, {@link #count}, {@link #FREE_IDS},
 * {@link #OWNERS}), {@link #ALL_COUNTS} and the growth of a thread's counters.
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

    /** A platform thread's allocation counts by site id: written by that thread only, read racily by reports. */
    private static final class Counts {
        final long tid;
        final WeakReference<Thread> thread;
        /** Grown (replaced) by the owner alone, under {@link #LOCK}. */
        long[] bySite;

        Counts(Thread thread, int sites) {
            this.tid = thread.threadId();
            this.thread = new WeakReference<>(thread);
            this.bySite = new long[sites];
        }

        boolean ended() {
            Thread t = thread.get();
            return t == null || !t.isAlive();
        }
    }

    /** Platform threads' counts by {@code threadId % SLOTS}; an entry is used only by the thread it names. */
    private static final Counts[] COUNTS_BY_TID = new Counts[SLOTS];
    /** Every {@link Counts} in {@link #COUNTS_BY_TID}, for the totals; guarded by {@link #LOCK}. */
    private static final List<Counts> ALL_COUNTS = new ArrayList<>();

    private static final Object LOCK = new Object();
    private static volatile Site[] sites = new Site[64];
    private static int count = 1; // id 0 means "no site"
    /** Ids below {@link #count} whose sites were forgotten, to hand out again. */
    private static final ArrayDeque<Integer> FREE_IDS = new ArrayDeque<>();
    /** The owners (class loaders) of sites, by identity hash; an owner leaves when its sites are forgotten. */
    private static final Map<Integer, List<Owner>> OWNERS = new HashMap<>();
    /** Owners whose loader was collected, to be forgotten. */
    private static final ReferenceQueue<ClassLoader> COLLECTED = new ReferenceQueue<>();

    /** A class loader and the ids of its sites, enqueued on {@link #COLLECTED} once the loader is collected. */
    private static final class Owner extends WeakReference<ClassLoader> {
        final int hash;
        /** The ids of its sites by label: one site per label, however often it is registered. */
        final Map<Label, Integer> ids = new HashMap<>();

        Owner(ClassLoader loader) {
            super(loader, COLLECTED);
            this.hash = System.identityHashCode(loader);
        }
    }

    /** What a report row names a site by: the allocated type and the {@code new} expression's location. */
    private record Label(String typeName, String location) {}

    /** The ids of the sites whose owner lives as long as the JVM ({@code null}) by label; guarded by {@link #LOCK}. */
    private static final Map<Label, Integer> LASTING = new HashMap<>();

    private Sites() {}

    /**
     * Registers a site: one per label and loader, so that two {@code new} expressions of one type on one line, or a
     * class rewritten again (the agent's second rewrite of a class whose method grew too large), count as the one site
     * their report row names.
     *
     * @param owner the class loader of the class holding the {@code new} expression: the site is forgotten once it is
     *     collected; {@code null} for one that lives as long as the JVM
     * @param typeName the binary name of the allocated class
     * @param location {@code Class.method:line}
     * @return the site's id, never 0
     * @throws IllegalStateException past 2<sup>24</sup> - 1 sites alive
     */
    public static int register(ClassLoader owner, String typeName, String location) {
        synchronized (LOCK) {
            forgetCollectedLocked();
            Map<Label, Integer> ids = owner != null ? ownerOf(owner).ids : LASTING;
            Label label = new Label(typeName, location);
            Integer known = ids.get(label);
            if (known != null) {
                return known;
            }
            Integer free = FREE_IDS.poll();
            if (free == null && count > ID_MASK) {
                throw new IllegalStateException("more than " + ID_MASK + " allocation sites of @Slab classes");
            }
            int id = free != null ? free : count++;
            Site[] current = sites;
            if (id == current.length) {
                current = Arrays.copyOf(current, id * 2);
            }
            current[id] = new Site(id, typeName, location);
            sites = current; // publishes the site, and the counters forget zeroed, to the threads that enter it
            ids.put(label, id);
            return id;
        }
    }

    /** @return {@code loader}'s entry in {@link #OWNERS}, made on its first site; the caller holds {@link #LOCK} */
    private static Owner ownerOf(ClassLoader loader) {
        List<Owner> bucket = OWNERS.computeIfAbsent(System.identityHashCode(loader), h -> new ArrayList<>(1));
        for (Owner o : bucket) {
            if (o.get() == loader) {
                return o;
            }
        }
        Owner o = new Owner(loader);
        bucket.add(o);
        return o;
    }

    /** Forgets the sites of every owner collected since the last call, and frees their ids. */
    static void forgetCollected() {
        synchronized (LOCK) {
            forgetCollectedLocked();
        }
    }

    private static void forgetCollectedLocked() {
        for (Owner o; (o = (Owner) COLLECTED.poll()) != null; ) {
            List<Owner> bucket = OWNERS.get(o.hash);
            bucket.remove(o);
            if (bucket.isEmpty()) {
                OWNERS.remove(o.hash);
            }
            Site[] current = sites;
            for (int id : o.ids.values()) {
                current[id] = null;
                for (Counts c : ALL_COUNTS) { // no thread counts at a site whose code is gone
                    if (id < c.bySite.length) {
                        c.bySite[id] = 0;
                    }
                }
                FREE_IDS.push(id);
            }
        }
    }

    /** @return whether {@code site} was forgotten (its owner collected); a forgotten site never comes back */
    static boolean forgotten(Site site) {
        return sites[site.id] != site;
    }

    /** @return the site with this id, or {@code null} */
    public static Site byId(int id) {
        Site[] current = sites;
        // One unsigned test, which also drops the range check: a negative id is huge, and sites[0] stays null (no id 0)
        return Integer.compareUnsigned(id, current.length) < 0 ? current[id] : null;
    }

    /** @param id the site about to call a constructor on this thread, or 0 to leave none pending */
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

    /** @return this thread's pending site id, whatever type it allocates, or 0; nothing is pending afterwards */
    public static int takeAny() {
        long tid = Thread.currentThread().threadId();
        int slot = slot(tid);
        long held = PENDING_BY_TID[slot];
        if (held >>> ID_BITS == tid) {
            PENDING_BY_TID[slot] = tid << ID_BITS;
            return (int) (held & ID_MASK);
        }
        if (held == 0) {
            return 0; // nothing pending anywhere, as in take
        }
        int[] pending = PENDING.get();
        int id = pending[0];
        pending[0] = 0;
        return id;
    }

    /**
     * Takes this thread's pending site if it allocates {@code type}; a site of another type stays pending.
     *
     * @return the site, or {@code null} if the instance is not made by an instrumented {@code new} of this type
     */
    static Site take(SlabType type) {
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
        if (held == 0) {
            // No thread has entered a site through this slot yet (a slot, once written, never holds 0 again), so this
            // thread never found it held by another's site and left nothing in PENDING: an instance made by code that
            // the agent did not instrument (a constructor reference's hidden class, reflection) skips the ThreadLocal.
            return null;
        }
        int[] pending = PENDING.get();
        Site site = byId(pending[0]);
        if (site == null || !site.allocates(type)) {
            return null;
        }
        pending[0] = 0;
        return site;
    }

    /**
     * Counts {@code delta} allocations (-1: a constructor threw) at {@code site} for the calling thread: a plain increment
     * of the thread's own counter when it owns its slot, else the site's {@code LongAdder}.
     */
    static void count(Site site, int delta) {
        long tid = Thread.currentThread().threadId();
        Counts c = COUNTS_BY_TID[countSlot(tid)];
        if (c != null && c.tid == tid) {
            long[] bySite = c.bySite;
            int id = site.id;
            if (Integer.compareUnsigned(id, bySite.length) < 0) { // one test, which also drops the range check
                bySite[id] += delta;
                return;
            }
        }
        countSlow(site, delta);
    }

    /** {@link #count} for a thread without counts of its own yet, or whose counts are too short for the site. */
    private static void countSlow(Site site, int delta) {
        Thread t = Thread.currentThread();
        int slot = countSlot(t.threadId());
        Counts held = COUNTS_BY_TID[slot];
        // Virtual threads are too many to keep counts each; a platform thread whose slot another live thread owns
        // goes to the adder without taking the lock, so that colliding threads do not serialize on it.
        if (!t.isVirtual() && (held == null || held.tid == t.threadId() || held.ended())) {
            synchronized (LOCK) {
                Counts c = COUNTS_BY_TID[slot];
                if (c == null || c.ended()) {
                    if (c != null) {
                        retire(c);
                    }
                    c = new Counts(t, count);
                    ALL_COUNTS.add(c);
                    COUNTS_BY_TID[slot] = c;
                }
                if (c.tid == t.threadId()) {
                    if (site.id >= c.bySite.length) {
                        c.bySite = Arrays.copyOf(c.bySite, Math.max(count, site.id + 1));
                    }
                    c.bySite[site.id] += delta;
                    return;
                }
            }
        }
        site.allocations.add(delta);
    }

    /** Folds an ended thread's counts into its sites' totals; the caller holds {@link #LOCK}. */
    private static void retire(Counts c) {
        long[] bySite = c.bySite;
        Site[] all = sites;
        for (int id = 1; id < bySite.length; id++) {
            if (bySite[id] != 0 && all[id] != null) {
                all[id].allocations.add(bySite[id]);
            }
        }
        ALL_COUNTS.remove(c);
    }

    /**
     * @return the allocations counted at {@code site}: its {@code LongAdder} and the threads' own counters, read under
     *     the lock that {@link #retire} moves counts under, so none is missed or counted twice; for a forgotten site
     *     (held by a reader that listed its type's sites before it went), its adder alone, since the counters at its
     *     id are zeroed and then count the site that reuses the id
     */
    static long allocations(Site site) {
        synchronized (LOCK) {
            long sum = site.allocations.sum();
            if (forgotten(site)) {
                return sum;
            }
            for (Counts c : ALL_COUNTS) {
                long[] bySite = c.bySite;
                if (site.id < bySite.length) {
                    sum += bySite[site.id];
                }
            }
            return sum;
        }
    }

    /** @return the thread's entry in {@link #COUNTS_BY_TID} */
    private static int countSlot(long tid) {
        return (int) tid & (SLOTS - 1);
    }

    private static int slot(long tid) {
        return ((int) tid & (SLOTS - 1)) * STRIDE;
    }
}
