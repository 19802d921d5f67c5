package org.slab4j.internal.slab;

import java.util.Arrays;

/**
 * Tables from a platform thread's id to something that thread owns: the allocator's {@link ThreadCpu}s
 * ({@link ThreadCpus}) and each cache's per-thread {@link ArrayCache}s ({@link SlabCache#fastArrays}, the fast paths'
 * way to their array, with no {@code ThreadLocal}). The owners keep the table array in a field of their own, typed,
 * so that a look-up is one field load, one slot and one id comparison; this class holds the operations.
 *
 * <p>Notation: open addressing with linear probing, home slot {@code tid & (length - 1)}; an empty slot ends a probe.
 * Thread ids are never reused in a JVM, so an entry can only ever match its own thread.
 *
 * <p>Invariants: every entry whose owner is not {@linkplain Owned#isRetired() retired} is in the owner's current table;
 * a table is at most half full; retired entries are dropped at the next {@link #purge} or growth.
 *
 * <p>Concurrency: readers ({@link #get}) take no lock. Writers hold the lock of the field's owner and store the table
 * that {@link #put} or {@link #purge} returns. A new entry is stored in place into an empty slot; removal never clears
 * a slot in place (that would cut other entries' probe chains) but builds a new table. A thread only ever looks up
 * its own entry, which it put under that lock, after every earlier table was replaced: so it finds its entry in
 * whichever table it reads, with a plain read. That is why the fields are not volatile: the fast paths read them on
 * every allocation and free, and plain reads of entries keyed by a final field let the JIT fold look-ups. A stale read
 * could at worst miss an entry, which only sends the caller down its slow path, where its {@link ThreadCpu} knows its
 * arrays.
 */
final class ThreadTable {
    /**
     * What a table holds: something owned by one platform thread. An abstract class, not an interface, so that a probe
     * reads the id as a plain final field, with no type check.
     */
    abstract static class Owned {
        /** The owning platform thread's id (final: safe to read from any thread), or -1 for no thread. */
        final long ownerTid;

        Owned(long ownerTid) {
            this.ownerTid = ownerTid;
        }

        /** @return whether the owner ended and its state was claimed by {@link ThreadCpu#claim()} */
        abstract boolean isRetired();
    }

    private ThreadTable() {}

    /** @return the entry of thread {@code tid} in table {@code t}, or {@code null} */
    static <T extends Owned> T get(T[] t, long tid) {
        int i = (int) tid & (t.length - 1);
        T e = t[i];
        // The home slot, in straight-line code the JIT can inline and fold; collisions probe out of line.
        return e == null || e.ownerTid == tid ? e : probe(t, tid, i);
    }

    private static <T extends Owned> T probe(T[] t, long tid, int home) {
        int mask = t.length - 1;
        for (int i = (home + 1) & mask; ; i = (i + 1) & mask) {
            T e = t[i];
            if (e == null || e.ownerTid == tid) {
                return e;
            }
        }
    }

    /**
     * Adds the entry of a thread that has none. The caller holds the table's lock and stores the result.
     *
     * @return {@code t} with the entry, or a larger table without the retired entries when {@code t} would be more than
     *     half full
     */
    static <T extends Owned> T[] put(T[] t, T e) {
        T[] out = 2 * (count(t) + 1) > t.length ? rebuild(t, 1) : t;
        insert(out, e);
        return out;
    }

    /** @return a new table without the retired entries of {@code t}; the caller holds the lock and stores it */
    static <T extends Owned> T[] purge(T[] t) {
        return rebuild(t, 0);
    }

    /** @return the number of entries of {@code t}, retired ones included */
    static int count(Owned[] t) {
        int n = 0;
        for (Owned e : t) {
            if (e != null) {
                n++;
            }
        }
        return n;
    }

    private static <T extends Owned> T[] rebuild(T[] old, int room) {
        int live = 0;
        for (T e : old) {
            if (e != null && !e.isRetired()) {
                live++;
            }
        }
        int capacity = 16;
        while (capacity < 2 * (live + room)) {
            capacity *= 2;
        }
        T[] t = Arrays.copyOf(Arrays.copyOf(old, 0), capacity); // empty, of old's element type
        for (T e : old) {
            if (e != null && !e.isRetired()) {
                insert(t, e);
            }
        }
        return t;
    }

    private static void insert(Owned[] t, Owned e) {
        int mask = t.length - 1;
        int i = (int) e.ownerTid & mask;
        while (t[i] != null) {
            i = (i + 1) & mask;
        }
        t[i] = e;
    }
}
