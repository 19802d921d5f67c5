package org.slab4j.internal.slab;

/**
 * A table from a platform thread's id to something that thread owns: the allocator's {@link ThreadCpu}s, and each
 * cache's per-thread {@link ArrayCache}s (the fast paths' way to their array, with no {@code ThreadLocal}).
 *
 * <p>Notation: open addressing with linear probing over {@code table}, home slot {@code tid & (length - 1)}; an empty
 * slot ends a probe. Thread ids are never reused in a JVM, so an entry can only ever match its own thread.
 *
 * <p>Invariants: every entry whose owner is not {@linkplain Owned#isRetired() retired} is in the table that
 * {@link #table} names; the table is at most half full; a retired entry is dropped at the next {@link #purge} or
 * growth.
 *
 * <p>Concurrency: readers ({@link #get}) take no lock and read {@link #table} once (volatile). Writers hold this
 * object's monitor. A new entry is stored in place into an empty slot: only its own thread looks it up, and a probe
 * that races the store either sees it or stops at the empty slot, as if it came a moment earlier. Removal never
 * clears a slot in place (that would cut other entries' probe chains): {@link #purge} builds a new table without the
 * retired entries and publishes it, so a reader sees either the old table or the new one, both of which hold every
 * live entry.
 */
final class ThreadTable {
    /**
     * What the table holds: something owned by one platform thread. An abstract class, not an interface, so that a probe
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

    private volatile Owned[] table = new Owned[16];
    /** Entries in {@link #table}; guarded by this. */
    private int size;

    /** @return the entry of thread {@code tid}, or {@code null} */
    Owned get(long tid) {
        Owned[] t = table;
        int mask = t.length - 1;
        for (int i = (int) tid & mask; ; i = (i + 1) & mask) {
            Owned e = t[i];
            if (e == null || e.ownerTid == tid) {
                return e;
            }
        }
    }

    /** Adds the entry of a thread that has none; grows (dropping retired entries) past half full. */
    synchronized void put(Owned e) {
        if (2 * (size + 1) > table.length) {
            rebuild(true);
        }
        insert(table, e);
        size++;
    }

    /** Drops every retired entry. */
    synchronized void purge() {
        rebuild(false);
    }

    /** Forgets every entry (a destroyed cache's arrays: their owners then take the slow path). */
    synchronized void clear() {
        size = 0;
        table = new Owned[16];
    }

    /** @return the slots at this moment, live and retired entries and {@code null}s (a copy) */
    Owned[] snapshot() {
        return table.clone();
    }

    /** @return the number of entries, retired ones included until the next purge */
    synchronized int size() {
        return size;
    }

    private void rebuild(boolean grow) {
        Owned[] old = table;
        int live = 0;
        for (Owned e : old) {
            if (e != null && !e.isRetired()) {
                live++;
            }
        }
        int capacity = 16;
        while (capacity < 2 * (live + (grow ? 1 : 0))) {
            capacity *= 2;
        }
        Owned[] t = new Owned[capacity];
        for (Owned e : old) {
            if (e != null && !e.isRetired()) {
                insert(t, e);
            }
        }
        size = live;
        table = t; // a volatile write: readers see the whole new table
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
