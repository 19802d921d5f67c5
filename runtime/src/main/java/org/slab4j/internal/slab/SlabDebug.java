package org.slab4j.internal.slab;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code CONFIG_DEBUG_SLAB} checks of {@code mm/slab.c} for one cache: {@code poison_obj},
 * {@code check_poison_obj}, the red zone words ({@code dbg_redzone1/2}, {@code verify_redzone_free}) and the user word
 * of {@code SLAB_STORE_USER}.
 *
 * <pre>
 *  buffer: | red zone 1 (8) | object (object_size, poisoned 0x6b … 0xa5 while free) | pad | red zone 2 (8) | user (8) |
 *          ^ s_mem + i * size                                                        red zones: RED_ACTIVE while
 *                                                                                    allocated, RED_INACTIVE while free
 * </pre>
 *
 * <p>As in the kernel, problems are reported, not thrown: an ERROR on the {@code org.slab4j.debug} logger naming the
 * cache, the object, the offset and the bytes found, with the last allocating and freeing callers when the cache
 * stores users; the program goes on. Beyond the kernel, both the last allocation and the last free are kept (as Java
 * strings beside the slab); the native user word holds the id of the last thread that touched the object.
 */
final class SlabDebug {
    static final byte POISON_INUSE = 0x5a;
    static final byte POISON_FREE = 0x6b;
    static final byte POISON_END = (byte) 0xa5;
    static final long RED_INACTIVE = 0x09F911029D74E35BL;
    static final long RED_ACTIVE = 0xD84156C5635688C0L;

    private static final Logger LOG = LoggerFactory.getLogger("org.slab4j.debug");
    private static final StackWalker WALKER = StackWalker.getInstance();

    private final SlabCache cache;
    final boolean poison;
    final boolean redZone;
    final boolean storeUser;
    private final long objectSize;
    private final long redZone2;
    private final long userWord;
    /** What a free object looks like when poisoned: {@code 0x6b} bytes ending in {@code 0xa5}. */
    private final MemorySegment freePattern;
    /** Problems reported so far. */
    final AtomicLong reports = new AtomicLong();

    SlabDebug(SlabCache cache) {
        this.cache = cache;
        Geometry.Layout g = cache.layout;
        this.poison = CacheFlags.has(g.flags(), CacheFlags.POISON);
        this.redZone = CacheFlags.has(g.flags(), CacheFlags.RED_ZONE);
        this.storeUser = CacheFlags.has(g.flags(), CacheFlags.STORE_USER);
        this.objectSize = g.objectSize();
        this.userWord = g.size() - Geometry.BYTES_PER_WORD;
        this.redZone2 = storeUser ? g.size() - 8 - Geometry.REDZONE_ALIGN : g.size() - 8;
        byte[] pattern = new byte[(int) Math.min(objectSize, Integer.MAX_VALUE - 8)];
        Arrays.fill(pattern, POISON_FREE);
        pattern[pattern.length - 1] = POISON_END;
        this.freePattern = MemorySegment.ofArray(pattern);
    }

    /** @return whether {@code flags} ask for any debug check */
    static boolean wanted(int flags) {
        return (flags & CacheFlags.DEBUG) != 0;
    }

    /** {@code cache_init_objs_debug}: poison every object, mark its red zones inactive, clear its user word. */
    void initObjs(Slab slab) {
        for (int i = 0; i < slab.objs.length; i++) {
            long buffer = bufferOffset(slab, i);
            MemorySegment mem = slab.block.memory();
            if (redZone) {
                mem.set(JAVA_LONG_UNALIGNED, buffer, RED_INACTIVE);
                mem.set(JAVA_LONG_UNALIGNED, buffer + redZone2, RED_INACTIVE);
            }
            if (storeUser) {
                mem.set(JAVA_LONG_UNALIGNED, buffer + userWord, 0L);
            }
            if (poison) {
                poison(slab.objs[i], POISON_FREE);
            }
        }
    }

    /** {@code cache_alloc_debugcheck_after}: the object is about to reach a caller. */
    void afterAlloc(Slab slab, int idx, MemorySegment obj) {
        long buffer = bufferOffset(slab, idx);
        MemorySegment mem = slab.block.memory();
        if (poison) {
            long at = MemorySegment.mismatch(obj, 0, objectSize, freePattern, 0, objectSize);
            if (at >= 0) {
                report(slab, idx, "write after free: the object was changed while it was free", at, obj);
            }
            poison(obj, POISON_INUSE);
        }
        if (storeUser) {
            slab.lastAlloc[idx] = caller();
            mem.set(
                    JAVA_LONG_UNALIGNED,
                    buffer + userWord,
                    Thread.currentThread().threadId());
        }
        if (redZone) {
            long r1 = mem.get(JAVA_LONG_UNALIGNED, buffer);
            long r2 = mem.get(JAVA_LONG_UNALIGNED, buffer + redZone2);
            if (r1 != RED_INACTIVE || r2 != RED_INACTIVE) {
                report(
                        slab,
                        idx,
                        "double free, or memory outside the object was overwritten" + redZoneWords(r1, r2),
                        -1,
                        obj);
            }
            mem.set(JAVA_LONG_UNALIGNED, buffer, RED_ACTIVE);
            mem.set(JAVA_LONG_UNALIGNED, buffer + redZone2, RED_ACTIVE);
        }
    }

    /** {@code cache_free_debugcheck}: the object was just given back by a caller. */
    void beforeFree(Slab slab, int idx, MemorySegment obj) {
        long buffer = bufferOffset(slab, idx);
        MemorySegment mem = slab.block.memory();
        if (redZone) {
            long r1 = mem.get(JAVA_LONG_UNALIGNED, buffer);
            long r2 = mem.get(JAVA_LONG_UNALIGNED, buffer + redZone2);
            if (r1 != RED_ACTIVE || r2 != RED_ACTIVE) {
                String what = r1 == RED_INACTIVE && r2 == RED_INACTIVE
                        ? "double free detected"
                        : "memory outside the object was overwritten (a buffer overflow or underflow)";
                report(slab, idx, what + redZoneWords(r1, r2), -1, obj);
            }
            mem.set(JAVA_LONG_UNALIGNED, buffer, RED_INACTIVE);
            mem.set(JAVA_LONG_UNALIGNED, buffer + redZone2, RED_INACTIVE);
        }
        if (storeUser) {
            slab.lastFree[idx] = caller();
            mem.set(
                    JAVA_LONG_UNALIGNED,
                    buffer + userWord,
                    Thread.currentThread().threadId());
        }
        if (poison) {
            poison(slab.objs[idx], POISON_FREE);
        }
    }

    /** Re-poisons the object that held an OBJFREELIST freelist, once the slab is full and the list is gone. */
    void repoison(MemorySegment obj) {
        if (poison) {
            poison(obj, POISON_FREE);
        }
    }

    /** {@code slab_destroy_debugcheck}: every object of a slab about to be destroyed is free and intact. */
    void beforeDestroy(Slab slab) {
        for (int i = 0; i < slab.objs.length; i++) {
            MemorySegment obj = slab.objs[i];
            if (poison) {
                long at = MemorySegment.mismatch(obj, 0, objectSize, freePattern, 0, objectSize);
                if (at >= 0 && !holdsFreelist(slab, obj)) {
                    report(slab, i, "write after free, found when the slab was destroyed", at, obj);
                }
            }
            if (redZone) {
                long buffer = bufferOffset(slab, i);
                long r1 = slab.block.memory().get(JAVA_LONG_UNALIGNED, buffer);
                long r2 = slab.block.memory().get(JAVA_LONG_UNALIGNED, buffer + redZone2);
                if (r1 != RED_INACTIVE || r2 != RED_INACTIVE) {
                    report(
                            slab,
                            i,
                            "red zone overwritten, found when the slab was destroyed" + redZoneWords(r1, r2),
                            -1,
                            obj);
                }
            }
        }
    }

    private static boolean holdsFreelist(Slab slab, MemorySegment obj) {
        return slab.freelist == slab.block.memory()
                && obj.address() - slab.block.chunk().base() == slab.freelistOffset;
    }

    private long bufferOffset(Slab slab, int idx) {
        return slab.sMem - slab.block.chunk().base() + (long) idx * cache.layout.size();
    }

    private void poison(MemorySegment obj, byte value) {
        obj.asSlice(0, objectSize).fill(value);
        if (value == POISON_FREE) {
            obj.set(JAVA_BYTE, objectSize - 1, POISON_END);
        }
    }

    private static String redZoneWords(long r1, long r2) {
        return String.format(" (red zones: 0x%016x 0x%016x)", r1, r2);
    }

    private void report(Slab slab, int idx, String what, long offset, MemorySegment obj) {
        reports.incrementAndGet();
        StringBuilder sb = new StringBuilder(128)
                .append("slab4j: cache '")
                .append(cache.name)
                .append("': ")
                .append(what)
                .append(": object ")
                .append(idx)
                .append(" of its slab at 0x")
                .append(Long.toHexString(obj.address()));
        if (offset >= 0) {
            long end = Math.min(offset + 16, objectSize);
            sb.append(", first corrupted byte at offset ")
                    .append(offset)
                    .append(": ")
                    .append(HexFormat.ofDelimiter(" ")
                            .formatHex(obj.asSlice(offset, end - offset).toArray(JAVA_BYTE)));
        }
        if (storeUser) {
            sb.append("; last allocated by ")
                    .append(Optional.ofNullable(slab.lastAlloc[idx]).orElse("(never)"))
                    .append("; last freed by ")
                    .append(Optional.ofNullable(slab.lastFree[idx]).orElse("(never)"));
        }
        LOG.error(sb.toString());
    }

    /** @return the first caller outside slab4j's own classes, with the thread: what the kernel's user word records */
    private static String caller() {
        Thread t = Thread.currentThread();
        String frame = WALKER.walk(frames -> frames.filter(f -> !isOwnFrame(f.getClassName()))
                .findFirst()
                .map(f -> f.getClassName() + "." + f.getMethodName() + ":" + f.getLineNumber())
                .orElse("?"));
        return frame + " on thread '" + t.getName() + "'";
    }

    private static boolean isOwnFrame(String className) {
        return className.startsWith("org.slab4j.internal.")
                || className.equals("org.slab4j.KmemCache")
                || className.equals("org.slab4j.SlabAllocator");
    }
}
