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
    /** {@code SLAB_KMALLOC}: one of the kmalloc caches. */
    public static final int KMALLOC = 1 << 8;
    /** {@code CFLGS_OBJFREELIST_SLAB}. */
    public static final int OBJFREELIST_SLAB = 1 << 9;
    /** {@code CFLGS_OFF_SLAB}. */
    public static final int OFF_SLAB = 1 << 10;

    /** {@code SLAB_NEVER_MERGE} (NO_MERGE is Linux 6.5's {@code SLAB_NO_MERGE}, which joins the group). */
    public static final int NEVER_MERGE = RED_ZONE | POISON | STORE_USER | TYPESAFE_BY_RCU | NO_MERGE;
    /** {@code SLAB_MERGE_SAME}: flags two merged caches must agree on. */
    public static final int MERGE_SAME = RECLAIM_ACCOUNT;
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
     * {@code slab_want_init_on_free}: whether a cache zeroes objects on free when {@code init_on_free} is on. Not with a
     * constructor (the object must stay constructed), not for {@code SLAB_TYPESAFE_BY_RCU}, and not for a poisoned
     * cache, whose free poison is its own fill (zeroing it would read as a write after free).
     */
    public static boolean wantInitOnFree(boolean initOnFree, boolean hasCtor, int flags) {
        return initOnFree && !hasCtor && (flags & (TYPESAFE_BY_RCU | POISON)) == 0;
    }
}
