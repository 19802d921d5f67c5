package org.slab4j.internal.slab;

import java.util.Set;
import org.slab4j.SlabFlag;

/**
 * {@code slab_flags_t} as a bit set, with the kernel's flag groups ({@code SLAB_NEVER_MERGE}, {@code SLAB_MERGE_SAME})
 * and the internal {@code CFLGS_*} placement bits.
 */
public final class CacheFlags {
    public static final int HWCACHE_ALIGN = 1;
    public static final int RECLAIM_ACCOUNT = 1 << 1;
    public static final int TYPESAFE_BY_RCU = 1 << 2;
    public static final int NO_MERGE = 1 << 3;
    public static final int POISON = 1 << 4;
    public static final int RED_ZONE = 1 << 5;
    public static final int STORE_USER = 1 << 6;
    public static final int PANIC = 1 << 7;
    /** {@link SlabFlag#INIT_ON_FREE}: {@code init_on_free} for one cache. */
    public static final int INIT_ON_FREE = 1 << 8;
    /** {@code SLAB_KMALLOC}: one of the kmalloc caches. */
    public static final int KMALLOC = 1 << 9;
    /** {@code CFLGS_OBJFREELIST_SLAB}. */
    public static final int OBJFREELIST_SLAB = 1 << 10;
    /** {@code CFLGS_OFF_SLAB}. */
    public static final int OFF_SLAB = 1 << 11;

    /** {@code SLAB_NEVER_MERGE} (NO_MERGE is Linux 6.5's {@code SLAB_NO_MERGE}, which joins the group). */
    public static final int NEVER_MERGE = RED_ZONE | POISON | STORE_USER | TYPESAFE_BY_RCU | NO_MERGE;
    /**
     * {@code SLAB_MERGE_SAME}: flags two merged caches must agree on; INIT_ON_FREE too, so that no cache loses its wipe
     * or makes another pay for it.
     */
    public static final int MERGE_SAME = RECLAIM_ACCOUNT | INIT_ON_FREE;
    /** The debug flags of {@code CONFIG_DEBUG_SLAB}. */
    public static final int DEBUG = POISON | RED_ZONE | STORE_USER;

    private CacheFlags() {}

    /** @return the bit set for the public flags; {@code null} means none */
    public static int of(Set<SlabFlag> flags) {
        return of(flags, null);
    }

    /**
     * @param cache the cache the flags are for, named in the error, or {@code null}
     * @return the bit set for the public flags; {@code null} means none
     * @throws IllegalArgumentException when the set contains {@code null}
     */
    public static int of(Set<SlabFlag> flags, String cache) {
        int bits = 0;
        if (flags != null) {
            for (SlabFlag f : flags) {
                if (f == null) {
                    throw new IllegalArgumentException(
                            (cache == null ? "" : "cache '" + cache + "': ") + "flags contain null");
                }
                bits |= 1 << f.ordinal();
            }
        }
        return bits;
    }

    /** @return whether all of {@code mask} is set in {@code flags} */
    public static boolean has(int flags, int mask) {
        return (flags & mask) == mask;
    }

    /**
     * {@code slab_want_init_on_free}: whether a cache zeroes objects on free, when {@code init_on_free} is on or the
     * cache asked for {@link #INIT_ON_FREE}. Not with a constructor (the object must stay constructed), not for
     * {@code SLAB_TYPESAFE_BY_RCU}, and not for a poisoned cache, whose free poison is its own fill (zeroing it would
     * read as a write after free).
     */
    public static boolean wantInitOnFree(boolean initOnFree, boolean hasCtor, int flags) {
        return (initOnFree || has(flags, INIT_ON_FREE)) && !hasCtor && (flags & (TYPESAFE_BY_RCU | POISON)) == 0;
    }

    /**
     * @return why a cache's own request for {@link #INIT_ON_FREE} contradicts the rest of it, or {@code null} if it
     *     does not (the global debug flags are not the caller's: a poisoned allocator just leaves the wipe out)
     */
    public static String initOnFreeConflict(int flags, boolean hasCtor) {
        if (!has(flags, INIT_ON_FREE)) {
            return null;
        }
        if (hasCtor) {
            return "INIT_ON_FREE cannot go with a constructor (its objects must stay constructed while free); drop one";
        }
        if (has(flags, POISON)) {
            return "INIT_ON_FREE cannot go with POISON (the poison is what a free writes); drop one";
        }
        if (has(flags, TYPESAFE_BY_RCU)) {
            return "INIT_ON_FREE cannot go with TYPESAFE_BY_RCU (a freed object stays readable); drop one";
        }
        return null;
    }
}
