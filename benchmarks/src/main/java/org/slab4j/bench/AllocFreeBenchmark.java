package org.slab4j.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import org.slab4j.KmemCache;
import org.slab4j.SlabAllocator;

/**
 * One allocation and one free of a 64-byte object per operation, on one thread, for slab4j and its peers.
 *
 * <p>Every method takes an object, writes {@link #payload} into its first eight bytes, reads it back and gives the
 * object back, so that one JMH run ranks them side by side:
 *
 * <ul>
 *   <li>{@code slab4j}: {@link KmemCache#alloc()} and {@link KmemCache#free} on a 64-byte cache whose per-CPU array
 *       cache is warm;
 *   <li>{@code slab4jZalloc}: {@code slab4j} with {@link KmemCache#zalloc()}, as the agent allocates for a class
 *       without a cache constructor;
 *   <li>{@code slab4jKmalloc}: {@link SlabAllocator#kmalloc} and {@link SlabAllocator#kfree} of 64 bytes;
 *   <li>{@code mallocFree}: the C library's {@code malloc} and {@code free}, called through FFM downcalls;
 *   <li>{@code arenaConfined}: a confined {@link Arena} opened, allocated from (zero-filled, as arenas do) and closed
 *       per operation;
 *   <li>{@code nettyPooled}: a 64-byte direct buffer of Netty's {@link PooledByteBufAllocator#DEFAULT}, released,
 *       from the JMH thread's own pool cache (see {@link BenchmarkBase} for the fork settings that give it one);
 *   <li>{@code freeListSlices}: the floor: a LIFO {@link ArrayDeque} of 64-byte slices cut once from one segment;
 *   <li>{@code freeListByThread} and {@code freeListChecked}: that free list with one part of slab4j's fast path
 *       added, to show what each costs on its own: finding the calling thread's cache in a table indexed by thread id,
 *       or the checks of a free (the slice is the one cut for its index, and handed out) with the state byte that
 *       allocation sets; {@code freeListFloor} adds both;
 *   <li>{@code freeListPagedFloor}: {@code freeListFloor} over 16 slabs of one page each, whose checks first find the
 *       object's slab by its page, as every allocator with more than one slab must;
 *   <li>{@code freeListKmallocFloor}: {@code freeListPagedFloor} with a size class per power of two, picked by the size
 *       on allocation and by the slab on a free, as {@code kmalloc} and {@code kfree} must;
 *   <li>{@code heapByteArray}: a {@code new byte[64]}, handed to a {@link Blackhole} so that it is really allocated.
 * </ul>
 *
 * <p>The off-heap methods return the value read back instead of sinking the segment itself: the memory is allocated
 * and freed whatever happens to the {@link MemorySegment} handle, and keeping the handle out of a {@link Blackhole}
 * lets the JIT scalar-replace it, as it would in an application. Run {@code -prof gc} to see which methods still
 * allocate on the heap ({@code gc.alloc.rate.norm}, in bytes per operation).
 *
 * <p>Run it from the project root after {@code mvn -pl benchmarks -am package -DskipTests}:
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar AllocFreeBenchmark -prof gc
 * }</pre>
 *
 * <p>With the settings of {@link BenchmarkBase} (one fork, 3 warmup and 5 measurement iterations of one second each) a
 * run of all thirteen methods takes about two minutes. On a shared machine, run it when the machine is otherwise
 * idle: a busy neighbour moves the slower methods by 30% or more.
 */
public class AllocFreeBenchmark extends BenchmarkBase {
    private static final Linker LINKER = Linker.nativeLinker();

    @SuppressWarnings("restricted") // binding malloc and free is what this baseline is about
    private static final MethodHandle MALLOC = LINKER.downcallHandle(
            LINKER.defaultLookup().find("malloc").orElseThrow(), FunctionDescriptor.of(ADDRESS, JAVA_LONG));

    @SuppressWarnings("restricted") // as for MALLOC
    private static final MethodHandle FREE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("free").orElseThrow(), FunctionDescriptor.ofVoid(ADDRESS));

    private static final VarHandle BYTE_ARRAY_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    /** A slab allocator with one warm 64-byte cache, closed at the end of the trial. */
    @State(Scope.Thread)
    public static class SlabState {
        SlabAllocator allocator;
        KmemCache cache;

        @Setup
        public void setUp() {
            allocator = SlabAllocator.builder().build();
            cache = allocator.createCache("bench-64", OBJECT_SIZE);
            cache.free(cache.alloc()); // grows the first slab and fills this CPU's array cache
        }

        @TearDown
        public void tearDown() {
            allocator.close();
        }
    }

    /**
     * A LIFO free list of 64-byte slices, all cut from one segment when the trial starts; also reachable through a
     * table indexed by thread id, and with a state byte per slice, for the two floor methods.
     */
    @State(Scope.Thread)
    public static class FreeListState {
        static final int SLICES = 1024;
        static final int SHIFT = 6; // log2(OBJECT_SIZE)

        Arena arena;
        long base;
        final ArrayDeque<MemorySegment> freeList = new ArrayDeque<>(SLICES);
        final MemorySegment[] slices = new MemorySegment[SLICES];
        final byte[] allocated = new byte[SLICES];
        final Owned<?>[] byThreadId = new Owned<?>[256];

        /** A free list and the thread that owns it, as a per-thread array cache records its owner. */
        record Owned<L>(long tid, L list) {
            /** Enters the calling thread's list in {@code table}, a table indexed by thread id. */
            static <L> void enter(Owned<?>[] table, L list) {
                long tid = Thread.currentThread().threadId();
                table[(int) tid & 255] = new Owned<>(tid, list);
            }

            /** @return the calling thread's list in {@code table}, found as slab4j finds a thread's array cache */
            @SuppressWarnings("unchecked") // enter() stores lists of the one type each table holds
            static <L> L ofThisThread(Owned<?>[] table) {
                long tid = Thread.currentThread().threadId();
                Owned<?> owned = table[(int) tid & 255];
                if (owned == null || owned.tid() != tid) {
                    throw new IllegalStateException("the free list of thread " + tid + " is not in the table");
                }
                return (L) owned.list();
            }
        }

        @Setup
        public void setUp() {
            arena = Arena.ofShared();
            MemorySegment block = arena.allocate((long) SLICES * OBJECT_SIZE, OBJECT_SIZE);
            base = block.address();
            for (int i = 0; i < SLICES; i++) {
                slices[i] = block.asSlice((long) i * OBJECT_SIZE, OBJECT_SIZE);
                freeList.addFirst(slices[i]);
            }
            Owned.enter(byThreadId, freeList);
        }

        /** The calling thread's free list, found as slab4j finds a thread's array cache. */
        ArrayDeque<MemorySegment> ofThisThread() {
            return Owned.ofThisThread(byThreadId);
        }

        /** slab4j's alloc-side check: the slice's state byte says it is handed out. */
        void markAllocated(MemorySegment object) {
            allocated[(int) ((object.address() - base) >>> SHIFT)] = 1;
        }

        /** slab4j's fast free checks: the very slice cut for that index, handed out; then marked free. */
        void checkFree(MemorySegment object) {
            int index = (int) ((object.address() - base) >>> SHIFT);
            if (index < 0 || index >= SLICES || slices[index] != object || allocated[index] != 1) {
                throw new IllegalStateException("not a handed-out slice: " + object);
            }
            allocated[index] = 0;
        }

        @TearDown
        public void tearDown() {
            freeList.clear();
            arena.close();
        }
    }

    /**
     * {@link FreeListState} over many slabs: its slices are cut from 4 KiB pages, each page a slab with its own slice
     * and state arrays, and the per-thread free list holds entries that name a slab and an index, as slab4j's array
     * caches do. An allocation pops an entry and marks the slice handed out in its slab; a free first finds the
     * object's slab from its address, as every allocator with more than one slab must, then checks and pushes it. The
     * look-up is the cheapest there is: one slot of a flat table indexed by page, since all the pages are one
     * contiguous block here.
     */
    @State(Scope.Thread)
    public static class PagedFreeListState {
        static final int PAGE_SHIFT = 12;
        static final int PER_PAGE = (1 << PAGE_SHIFT) / OBJECT_SIZE;
        static final int PAGES = 16;

        /** One page's slab: its number, its first address, the slices cut from it and their state bytes. */
        record PageSlab(int page, long first, MemorySegment[] slices, byte[] allocated) {}

        /** A thread's LIFO free list of entries {@code page << 32 | index}. */
        static final class EntryStack {
            final long[] entries;
            int top;

            EntryStack(int capacity) {
                entries = new long[capacity];
            }

            /** Pops an entry and hands out its slice, marked in its slab's state bytes, as slab4j's allocation does. */
            MemorySegment pop(PageSlab[] byPage) {
                long entry = entries[--top];
                PageSlab slab = byPage[(int) (entry >>> 32)];
                int index = (int) entry;
                slab.allocated()[index] = 1;
                return slab.slices()[index];
            }

            /**
             * slab4j's fast free checks, on the object's own slab: the very slice cut for that index, handed out; then
             * marked free and pushed.
             */
            void push(PageSlab slab, int index, MemorySegment object) {
                if (slab.slices()[index] != object || slab.allocated()[index] != 1) {
                    throw new IllegalStateException("not a handed-out slice: " + object);
                }
                slab.allocated()[index] = 0;
                entries[top++] = (long) slab.page() << 32 | index;
            }
        }

        Arena arena;
        long base;
        final PageSlab[] byPage = new PageSlab[PAGES];
        final FreeListState.Owned<?>[] byThreadId = new FreeListState.Owned<?>[256];

        @Setup
        public void setUp() {
            arena = Arena.ofShared();
            MemorySegment block = arena.allocate((long) PAGES << PAGE_SHIFT, 1 << PAGE_SHIFT);
            base = block.address();
            EntryStack free = new EntryStack(PAGES * PER_PAGE);
            for (int p = 0; p < PAGES; p++) {
                byPage[p] = cutPage(block, p, OBJECT_SIZE, free);
            }
            FreeListState.Owned.enter(byThreadId, free);
        }

        /**
         * Cuts page {@code p} of {@code block} into slices of {@code size} bytes, pushing an entry for each on
         * {@code free}.
         *
         * @return the page's slab
         */
        static PageSlab cutPage(MemorySegment block, int p, int size, EntryStack free) {
            MemorySegment page = block.asSlice((long) p << PAGE_SHIFT, 1 << PAGE_SHIFT);
            MemorySegment[] slices = new MemorySegment[(1 << PAGE_SHIFT) / size];
            for (int i = 0; i < slices.length; i++) {
                slices[i] = page.asSlice((long) i * size, size);
                free.entries[free.top++] = (long) p << 32 | i;
            }
            return new PageSlab(p, page.address(), slices, new byte[slices.length]);
        }

        /** The calling thread's free list, as {@link FreeListState#ofThisThread()} finds it. */
        EntryStack ofThisThread() {
            return FreeListState.Owned.ofThisThread(byThreadId);
        }

        /** The slab of the page holding {@code address}. */
        PageSlab slabOf(long address) {
            return slabOf(byPage, base, address);
        }

        /** @return the slab of the page holding {@code address} in {@code byPage}, whose first page is at {@code base} */
        static PageSlab slabOf(PageSlab[] byPage, long base, long address) {
            long page = (address - base) >>> PAGE_SHIFT; // an address below the block gives a huge number too
            if (page >= byPage.length) {
                throw new IllegalStateException("not a slice of these pages: 0x" + Long.toHexString(address));
            }
            return byPage[(int) page];
        }

        /** Pops an entry and hands out its slice, as slab4j's allocation does. */
        MemorySegment alloc() {
            return ofThisThread().pop(byPage);
        }

        /** slab4j's fast free: the object's slab by page, the checks, the push. */
        void free(MemorySegment object) {
            PageSlab slab = slabOf(object.address());
            // In [0, PER_PAGE) once the page is found: no range test.
            int index = (int) ((object.address() - slab.first()) >>> FreeListState.SHIFT);
            ofThisThread().push(slab, index, object);
        }

        @TearDown
        public void tearDown() {
            arena.close();
        }
    }

    /**
     * {@link PagedFreeListState} with kmalloc's size classes: one per power of two from 8 bytes to a page, each with
     * {@link #PAGES_PER_CLASS} pages of its own and its own free list per thread. {@code kmalloc} checks the size and
     * picks its class (the kernel's {@code kmalloc_index}, here one leading-zeros count); {@code kfree} finds the slab by
     * page as the paged floor does, and the class from the page number (each class's pages are together). The paged
     * floor and the dispatch to a size class on both sides: a floor for {@code kmalloc} with checked frees.
     */
    @State(Scope.Thread)
    public static class KmallocFloorState {
        static final int PAGE_SHIFT = PagedFreeListState.PAGE_SHIFT;
        static final int MIN_SHIFT = 3;
        /** Size classes 8, 16, ... bytes up to one page. */
        static final int CLASSES = PAGE_SHIFT - MIN_SHIFT + 1;

        static final int PAGES_PER_CLASS_SHIFT = 2;
        static final int PAGES_PER_CLASS = 1 << PAGES_PER_CLASS_SHIFT;

        Arena arena;
        long base;
        /** The slabs by page; those of class {@code c} ({@code 8 << c} bytes) are pages {@code c * PAGES_PER_CLASS} on. */
        final PagedFreeListState.PageSlab[] byPage = new PagedFreeListState.PageSlab[CLASSES * PAGES_PER_CLASS];

        final FreeListState.Owned<?>[] byThreadId = new FreeListState.Owned<?>[256];

        @Setup
        public void setUp() {
            arena = Arena.ofShared();
            MemorySegment block = arena.allocate((long) byPage.length << PAGE_SHIFT, 1 << PAGE_SHIFT);
            base = block.address();
            PagedFreeListState.EntryStack[] free = new PagedFreeListState.EntryStack[CLASSES];
            for (int c = 0; c < CLASSES; c++) {
                int size = 1 << (c + MIN_SHIFT);
                int perPage = (1 << PAGE_SHIFT) / size;
                free[c] = new PagedFreeListState.EntryStack(PAGES_PER_CLASS * perPage);
                for (int p = c * PAGES_PER_CLASS; p < (c + 1) * PAGES_PER_CLASS; p++) {
                    byPage[p] = PagedFreeListState.cutPage(block, p, size, free[c]);
                }
            }
            FreeListState.Owned.enter(byThreadId, free);
        }

        /** The calling thread's free lists by size class, as {@link FreeListState#ofThisThread()} finds its list. */
        PagedFreeListState.EntryStack[] ofThisThread() {
            return FreeListState.Owned.ofThisThread(byThreadId);
        }

        /** The slab of the page holding {@code address}. */
        PagedFreeListState.PageSlab slabOf(long address) {
            return PagedFreeListState.slabOf(byPage, base, address);
        }

        /** A slice of the smallest class that holds {@code size} bytes, marked handed out. */
        MemorySegment kmalloc(long size) {
            if (size <= 0 || size > 1 << PAGE_SHIFT) {
                throw new IllegalArgumentException("size " + size + " is not in 1.." + (1 << PAGE_SHIFT));
            }
            int sizeClass = size <= 1 << MIN_SHIFT ? 0 : 64 - Long.numberOfLeadingZeros(size - 1) - MIN_SHIFT;
            return ofThisThread()[sizeClass].pop(byPage);
        }

        /** The paged floor's free, onto the list of the class of the object's page. */
        void kfree(MemorySegment object) {
            PagedFreeListState.PageSlab slab = slabOf(object.address());
            int sizeClass = slab.page() >>> PAGES_PER_CLASS_SHIFT;
            // In [0, slices.length) once the page is found: no range test.
            int index = (int) ((object.address() - slab.first()) >>> (sizeClass + MIN_SHIFT));
            ofThisThread()[sizeClass].push(slab, index, object);
        }

        @TearDown
        public void tearDown() {
            arena.close();
        }
    }

    @Benchmark
    public long slab4j(SlabState state) {
        return allocUseFree(state.cache);
    }

    /** {@link #slab4j} with {@link KmemCache#zalloc()}: what the agent does for a class without a cache constructor. */
    @Benchmark
    public long slab4jZalloc(SlabState state) {
        MemorySegment object = state.cache.zalloc();
        long value = writeAndRead(object);
        state.cache.free(object);
        return value;
    }

    @Benchmark
    public long slab4jKmalloc(SlabState state) {
        MemorySegment object = state.allocator.kmalloc(OBJECT_SIZE);
        long value = writeAndRead(object);
        state.allocator.kfree(object);
        return value;
    }

    @Benchmark
    @SuppressWarnings("restricted") // reinterpret: malloc returns a zero-length segment, sized here as asked
    public long mallocFree() throws Throwable {
        MemorySegment object = ((MemorySegment) MALLOC.invokeExact((long) OBJECT_SIZE)).reinterpret(OBJECT_SIZE);
        long value = writeAndRead(object);
        FREE.invokeExact(object);
        return value;
    }

    @Benchmark
    public long arenaConfined() {
        try (Arena arena = Arena.ofConfined()) {
            return writeAndRead(arena.allocate(OBJECT_SIZE, Long.BYTES));
        }
    }

    @Benchmark
    public long nettyPooled() {
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(OBJECT_SIZE);
        try {
            buffer.setLong(0, payload);
            return buffer.getLong(0);
        } finally {
            buffer.release();
        }
    }

    @Benchmark
    public long freeListSlices(FreeListState state) {
        MemorySegment object = state.freeList.pollFirst();
        long value = writeAndRead(object);
        state.freeList.addFirst(object);
        return value;
    }

    /** The floor of any cache per thread: the free list, reached through a table indexed by thread id. */
    @Benchmark
    public long freeListByThread(FreeListState state) {
        MemorySegment object = state.ofThisThread().pollFirst();
        long value = writeAndRead(object);
        state.ofThisThread().addFirst(object);
        return value;
    }

    /** The floor of checked frees: the free list with slab4j's checks (identity and state byte), no thread look-up. */
    @Benchmark
    public long freeListChecked(FreeListState state) {
        MemorySegment object = state.freeList.pollFirst();
        state.markAllocated(object);
        long value = writeAndRead(object);
        state.checkFree(object);
        state.freeList.addFirst(object);
        return value;
    }

    /**
     * Both at once: the free list reached by thread id, with slab4j's checks and state byte. The least that a per-thread
     * cache with checked frees (double frees refused) pays, whatever else it does.
     */
    @Benchmark
    public long freeListFloor(FreeListState state) {
        MemorySegment object = state.ofThisThread().pollFirst();
        state.markAllocated(object);
        long value = writeAndRead(object);
        state.checkFree(object);
        state.ofThisThread().addFirst(object);
        return value;
    }

    /**
     * {@link #freeListFloor} over many slabs ({@link PagedFreeListState}): the least that a per-thread cache with checked
     * frees pays once its objects come from more than one slab, whatever else it does.
     */
    @Benchmark
    public long freeListPagedFloor(PagedFreeListState state) {
        MemorySegment object = state.alloc();
        long value = writeAndRead(object);
        state.free(object);
        return value;
    }

    /**
     * {@link #freeListPagedFloor} with {@code kmalloc}'s size classes ({@link KmallocFloorState}): a floor for
     * {@code kmalloc} + {@code kfree} with checked frees.
     */
    @Benchmark
    public long freeListKmallocFloor(KmallocFloorState state) {
        MemorySegment object = state.kmalloc(OBJECT_SIZE);
        long value = writeAndRead(object);
        state.kfree(object);
        return value;
    }

    @Benchmark
    public void heapByteArray(Blackhole blackhole) {
        byte[] object = new byte[OBJECT_SIZE];
        BYTE_ARRAY_LONG.set(object, 0, payload);
        blackhole.consume(object);
    }
}
