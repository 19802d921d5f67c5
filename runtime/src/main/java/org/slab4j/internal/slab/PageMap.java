package org.slab4j.internal.slab;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The slab of every page that holds one: {@code virt_to_head_page(x)->slab_cache} for the JVM, read without locks by
 * every free and {@code kfree}, in a few dependent loads (the table, one slot, the slab).
 *
 * <p>Notation: {@code pfn = address >>> pageShift}; a slab of order {@code o} has one entry per page, in the slots of
 * an open-addressing table (linear probing, home slot {@code home(pfn) & (length - 1)}). An entry is the {@link Slab}
 * itself, which knows its pages ({@link Slab#firstPfn}, {@link Slab#pages}), so a probe recognises the entry of its
 * page without a key array. A removed entry becomes {@link #TOMBSTONE}, so that no probe chain is cut: a slab of no
 * pages, which no probe matches, so that the table holds only slabs and a probe tests no type.
 *
 * <p>Invariants: a slab's entries are in the table from before any of its objects is handed out until after the last
 * is given back, and they leave it before its pages go back to the page allocator; the table is at most half full of
 * entries and tombstones together.
 *
 * <p>Concurrency: writers ({@link #add}, {@link #remove}: slab growth and destruction) hold this object's monitor and
 * store in place; growth or too many tombstones build a new table that one volatile write publishes. A reader reads
 * {@link #table} once. An object reaches a reader only through a chain that starts after its slab's entries were
 * stored (the slab was grown, then the object handed out, then passed to the reader), so the reader sees them, in the
 * table it reads or in the newer one built from it. A reader may still meet a slab being destroyed (only when it
 * frees a stale object); the frees' own checks, which find every object of such a slab free, refuse that.
 */
final class PageMap {
    private static final Slab TOMBSTONE = Slab.tombstone();

    private final int pageShift;
    private volatile Slab[] table = new Slab[64];
    /** Slots that are not {@code null} (entries and tombstones); guarded by this. */
    private int used;
    /** Entries; guarded by this. */
    private int entries;

    PageMap(int pageShift) {
        this.pageShift = pageShift;
    }

    /** @return the slab whose pages hold {@code address}, or {@code null} */
    Slab find(long address) {
        long pfn = address >>> pageShift;
        Slab[] t = table;
        int mask = t.length - 1;
        for (int i = home(pfn) & mask; ; i = (i + 1) & mask) {
            Slab s = t[i];
            if (s == null) {
                return null;
            }
            if (Long.compareUnsigned(pfn - s.firstPfn, s.pages) < 0) { // never for TOMBSTONE: it has no pages
                return s;
            }
        }
    }

    /**
     * The home slot of page {@code pfn}, before the mask: the page's index in its chunk (1024 pages) in the low bits, as
     * it is, and above them the chunk's number folded with itself shifted by 3. Chunks are mapped at 32 MiB
     * boundaries (8 chunks of 4 KiB pages, see {@code BuddyAllocator.map}), so the 3 bits under that boundary are 0 in
     * every chunk's number: taken as they are, they would leave 7 of 8 runs of 1024 slots unused, with 8 times as many
     * chunks sharing each run, whose probes then walk each other's entries (the random live set of 256-byte records
     * in docs/performance.md ran ten times slower so: 8.37 s against 0.57 s). The fold fills those bits from the ones above, keeps the map of a chunk's pages one run,
     * and costs the free two shifts and an exclusive or.
     */
    static int home(long pfn) {
        return (int) (pfn ^ (pfn >>> 13 << 10));
    }

    /** Enters every page of a new slab, before any of its objects is handed out. */
    synchronized void add(Slab slab) {
        if (2 * (used + slab.pages) > table.length) {
            rebuild(entries + slab.pages);
        }
        used += place(table, slab);
        entries += slab.pages;
    }

    /** Takes a destroyed slab's pages out, before they go back to the page allocator. */
    synchronized void remove(Slab slab) {
        Slab[] t = table;
        int mask = t.length - 1;
        for (int p = 0; p < slab.pages; p++) {
            long pfn = slab.firstPfn + p;
            for (int i = home(pfn) & mask; t[i] != null; i = (i + 1) & mask) {
                if (t[i] == slab) {
                    t[i] = TOMBSTONE;
                    break;
                }
            }
        }
        entries -= slab.pages;
        if (used > 3 * entries + 64) { // mostly tombstones: probes would walk them
            rebuild(entries);
        }
    }

    private void rebuild(int wanted) {
        int capacity = 64;
        while (capacity < 2 * wanted) {
            capacity *= 2;
        }
        Slab[] t = new Slab[capacity];
        Set<Slab> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Slab s : table) {
            if (s != null && s != TOMBSTONE && seen.add(s)) {
                place(t, s);
            }
        }
        used = entries;
        table = t; // a volatile write: readers see the whole new table
    }

    /**
     * Stores one entry per page of {@code s} in the first free slot (empty or tombstone) of each page's chain.
     *
     * @return how many of those slots were empty
     */
    private static int place(Slab[] t, Slab s) {
        int mask = t.length - 1;
        int filled = 0;
        for (int p = 0; p < s.pages; p++) {
            int i = home(s.firstPfn + p) & mask;
            while (t[i] != null && t[i] != TOMBSTONE) {
                i = (i + 1) & mask;
            }
            if (t[i] == null) {
                filled++;
            }
            t[i] = s;
        }
        return filled;
    }
}
