package org.slab4j.internal.slab;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.slab4j.FreelistMode;
import org.slab4j.internal.page.PageBlock;

/**
 * One slab: the fields Linux 5.10 keeps in the slab's {@code struct page} ({@code s_mem}, {@code active},
 * {@code freelist}, {@code slab_list}) plus the object segments.
 *
 * <pre>
 *  page_address                                                       + PAGE_SIZE &lt;&lt; order
 *  | colour | obj 0 | obj 1 | ... | obj num-1 | left over | freelist (ON_SLAB only) |
 *           ^ s_mem
 * </pre>
 *
 * The freelist is an array of {@code num} object indices ({@code freelist_idx_t}, one or two bytes) kept in native
 * memory as the kernel keeps it: at the end of the slab (ON_SLAB), in an object of a kmalloc cache (OFF_SLAB), or
 * inside one free object of this slab (OBJFREELIST, {@code null} while the slab is full). Entries
 * {@code [active, num)} name the free objects; {@code slab_get_obj} takes entry {@code active}.
 *
 * <p>Beyond the kernel: every object's {@link MemorySegment} is cut once, when the slab is grown, and kept in
 * {@link #objs}, so allocation and free move references and never create segments.
 */
final class Slab {
    final SlabCache cache;
    final PageBlock block;
    final int node;
    /** The page frame number of the slab's first page ({@code address >>> pageShift}), for the {@link PageMap}. */
    final long firstPfn;
    /** The slab's pages: {@code 1 << order}. */
    final int pages;
    /** Address of the first buffer ({@code s_mem}). */
    final long sMem;
    /** Address of the first object: {@code s_mem + obj_offset}. */
    final long firstObject;
    /**
     * Set before the slab's pages are freed: a reader of the {@link PageMap} that still meets this slab (it frees a
     * stale object) must not take it for a live one; the checked look-up refuses it. Volatile so that the destruction
     * happens-before any use of a later slab at those addresses.
     */
    volatile boolean destroyed;
    /** The object segments by index, each {@code objectSize} long. */
    final MemorySegment[] objs;
    /** The scope of every object segment: the chunk's arena. */
    final MemorySegment.Scope scope;
    /**
     * Per object: {@link #ALLOCATED} while a caller holds it ({@link #CONSTRUCTING} while a poisoned cache's
     * constructor runs on it, before it is handed out), 0 while it is free (in an array or on the freelist). Bytes, not
     * bits: different threads update different objects' entries without locks, and Java never tears a byte array
     * element write into its neighbours.
     */
    final byte[] state;

    static final byte ALLOCATED = 1;
    /**
     * Allocated, and being constructed by a poisoned cache's allocation ({@link CpuPaths}'s {@code debugAlloc}): held
     * and freed as {@link #ALLOCATED}, but told apart from the same object freed by the constructor and allocated
     * again.
     */
    static final byte CONSTRUCTING = 2;

    /** With {@code SLAB_STORE_USER}: the last allocating and freeing caller of each object; else {@code null}. */
    final String[] lastAlloc;

    final String[] lastFree;

    /** Objects handed out ({@code active}). */
    int active;
    /** Segment holding the freelist, or {@code null} (an OBJFREELIST slab that is full). */
    MemorySegment freelist;
    /** Byte offset of the freelist in {@link #freelist}. */
    long freelistOffset;
    /** The OFF_SLAB freelist's own kmalloc object, given back when the slab is destroyed. */
    final MemorySegment offSlabFreelist;

    SlabList list;
    Slab prev;
    Slab next;
    /** The slab's id in its cache's {@link SlabTable}, set once its objects are initialised. */
    int id;

    /** The {@link PageMap}'s tombstone: a slab of no pages and no objects, of no cache, which no look-up matches. */
    private Slab() {
        this.cache = null;
        this.block = null;
        this.node = -1;
        this.offSlabFreelist = null;
        this.firstPfn = 0;
        this.pages = 0;
        this.sMem = 0;
        this.firstObject = 0;
        this.objs = new MemorySegment[0];
        this.state = new byte[0];
        this.scope = null;
        this.lastAlloc = null;
        this.lastFree = null;
        this.destroyed = true;
    }

    /** @return a new {@link PageMap} tombstone */
    static Slab tombstone() {
        return new Slab();
    }

    Slab(SlabCache cache, PageBlock block, int node, long colourOffset, MemorySegment offSlabFreelist) {
        this.cache = cache;
        this.block = block;
        this.node = node;
        this.offSlabFreelist = offSlabFreelist;
        Geometry.Layout g = cache.layout;
        long sMemOffset = block.offset() + colourOffset;
        this.firstPfn = block.address() >>> cache.pc.pageShift();
        this.pages = 1 << g.order();
        this.sMem = block.address() + colourOffset;
        this.firstObject = sMem + g.objOffset();
        this.objs = new MemorySegment[g.num()];
        this.state = new byte[g.num()];
        boolean storeUser = cache.debug != null && cache.debug.storeUser;
        this.lastAlloc = storeUser ? new String[g.num()] : null;
        this.lastFree = storeUser ? new String[g.num()] : null;
        MemorySegment memory = block.memory();
        this.scope = memory.scope();
        long objectSize = cache.objectSize;
        for (int i = 0; i < objs.length; i++) {
            objs[i] = memory.asSlice(sMemOffset + i * g.size() + g.objOffset(), objectSize);
        }
        switch (g.mode()) {
            case OFF_SLAB -> {
                freelist = offSlabFreelist;
                freelistOffset = 0;
            }
            case ON_SLAB -> {
                freelist = memory;
                freelistOffset = block.offset() + cache.pc.slabBytes(g.order()) - g.freelistSize();
            }
            case OBJFREELIST -> freelist = null; // placed in cacheInitObjs
        }
    }

    /**
     * The object segments of earlier cuts, before merges raised the object size ({@link #recut}), oldest first; or
     * {@code null}. Objects handed out before a re-cut keep their segment, which a free must still accept.
     */
    private volatile MemorySegment[][] earlierCuts;

    /** @return whether {@code object} is the very segment this slab handed out (or hands out) for object {@code index} */
    boolean handedOut(int index, MemorySegment object) {
        if (objs[index] == object) {
            return true;
        }
        MemorySegment[][] earlier = earlierCuts;
        if (earlier != null) {
            for (MemorySegment[] cut : earlier) {
                if (cut[index] == object) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Re-cuts every object segment to {@code objectSize} bytes, after a merge raised the cache's object size. Called
     * under the node's list lock (or before the slab is listed); the earlier cut is kept for {@link #handedOut}.
     */
    void recut(long objectSize) {
        MemorySegment[][] earlier = earlierCuts;
        MemorySegment[][] more = earlier == null ? new MemorySegment[1][] : Arrays.copyOf(earlier, earlier.length + 1);
        more[more.length - 1] = objs.clone();
        earlierCuts = more; // before any new segment is stored: a racing allocation hands out an old or a new one
        MemorySegment memory = block.memory();
        for (int i = 0; i < objs.length; i++) {
            objs[i] = memory.asSlice(objs[i].address() - block.chunk().base(), objectSize);
        }
    }

    /** {@code get_free_obj}. */
    int getFreeObj(int i) {
        return cache.idxSize == 1
                ? Byte.toUnsignedInt(freelist.get(JAVA_BYTE, freelistOffset + i))
                : Short.toUnsignedInt(freelist.get(JAVA_SHORT_UNALIGNED, freelistOffset + 2L * i));
    }

    /** {@code set_free_obj}. */
    void setFreeObj(int i, int objnr) {
        if (cache.idxSize == 1) {
            freelist.set(JAVA_BYTE, freelistOffset + i, (byte) objnr);
        } else {
            freelist.set(JAVA_SHORT_UNALIGNED, freelistOffset + 2L * i, (short) objnr);
        }
    }

    /** Places an OBJFREELIST freelist inside object {@code objnr} ({@code page->freelist = objp + obj_offset}). */
    void placeFreelistIn(int objnr) {
        freelist = block.memory();
        freelistOffset = objs[objnr].address() - block.chunk().base();
    }

    /** {@code slab_get_obj}: takes the next free object. @return its index (its segment is {@code objs[index]}) */
    int getObj() {
        return getFreeObj(active++);
    }

    /** {@code slab_put_obj}: returns object {@code objnr}. */
    void putObj(int objnr) {
        active--;
        if (freelist == null) { // OBJFREELIST slab that was full: the returned object now holds the list
            placeFreelistIn(objnr);
        }
        setFreeObj(active, objnr);
    }

    /** Marks a full OBJFREELIST slab as having no freelist (its last free object was handed out). */
    void dropObjFreelistIfFull() {
        if (active == objs.length && cache.layout.mode() == FreelistMode.OBJFREELIST) {
            if (cache.debug != null) { // the list overwrote that object's poison
                cache.debug.repoison(objs[objToIndex(block.chunk().base() + freelistOffset)]);
            }
            freelist = null;
        }
    }

    /**
     * {@code obj_to_index} for an address that must be the start of one of this slab's objects.
     *
     * @return the index, or -1 if the address is not an object start
     */
    int objToIndex(long address) {
        return cache.objToIndex(address - firstObject, objs.length);
    }
}
