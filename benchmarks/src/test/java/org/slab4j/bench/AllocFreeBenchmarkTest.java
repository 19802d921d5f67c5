package org.slab4j.bench;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;
import org.openjdk.jmh.infra.Blackhole;

/** Runs each {@link AllocFreeBenchmark} method a few times through its states: correctness, not speed. */
class AllocFreeBenchmarkTest {
    private static final long[] PAYLOADS = {0L, -1L, 0x0123_4567_89AB_CDEFL, Long.MIN_VALUE};

    private final AllocFreeBenchmark benchmark = new AllocFreeBenchmark();

    /** Checks that {@code operation} hands back, for every payload, the value it wrote into its object. */
    private void assertEchoesPayload(ThrowingSupplier<Long> operation) throws Throwable {
        for (long payload : PAYLOADS) {
            benchmark.payload = payload;
            assertEquals(payload, operation.get());
        }
    }

    private static void withSlabState(States.Body<AllocFreeBenchmark.SlabState> body) throws Throwable {
        States.with(
                new AllocFreeBenchmark.SlabState(),
                AllocFreeBenchmark.SlabState::setUp,
                AllocFreeBenchmark.SlabState::tearDown,
                body);
    }

    private static void withFreeListState(States.Body<AllocFreeBenchmark.FreeListState> body) throws Throwable {
        States.with(
                new AllocFreeBenchmark.FreeListState(),
                AllocFreeBenchmark.FreeListState::setUp,
                AllocFreeBenchmark.FreeListState::tearDown,
                body);
    }

    @Test
    void slab4j() throws Throwable {
        withSlabState(state -> {
            assertEchoesPayload(() -> benchmark.slab4j(state));
        });
    }

    @Test
    void slab4jZallocHandsOutZeroedObjects() throws Throwable {
        withSlabState(state -> {
            MemorySegment dirty = state.cache.alloc();
            dirty.fill((byte) -1);
            state.cache.free(dirty); // the next allocation on this thread reuses it
            assertEchoesPayload(() -> benchmark.slab4jZalloc(state));
            MemorySegment again = state.cache.alloc();
            assertEquals(dirty, again, "the same object, back from the thread's array");
            for (long offset = Long.BYTES; offset < again.byteSize(); offset++) {
                assertEquals(0, again.get(JAVA_BYTE, offset), "byte " + offset + " was zeroed");
            }
            state.cache.free(again);
        });
    }

    @Test
    void slab4jKmalloc() throws Throwable {
        withSlabState(state -> {
            assertEchoesPayload(() -> benchmark.slab4jKmalloc(state));
        });
    }

    @Test
    void mallocFree() throws Throwable {
        assertEchoesPayload(benchmark::mallocFree);
    }

    @Test
    void arenaConfined() throws Throwable {
        assertEchoesPayload(benchmark::arenaConfined);
    }

    @Test
    void nettyPooled() throws Throwable {
        assertEchoesPayload(benchmark::nettyPooled);
    }

    @Test
    void freeListSlices() throws Throwable {
        withFreeListState(state -> {
            assertEchoesPayload(() -> benchmark.freeListSlices(state));
            assertEquals(AllocFreeBenchmark.FreeListState.SLICES, state.freeList.size());
        });
    }

    @Test
    void freeListFloors() throws Throwable {
        withFreeListState(state -> {
            assertEchoesPayload(() -> benchmark.freeListByThread(state));
            assertEchoesPayload(() -> benchmark.freeListChecked(state));
            assertEchoesPayload(() -> benchmark.freeListFloor(state));
            assertEquals(AllocFreeBenchmark.FreeListState.SLICES, state.freeList.size());
            MemorySegment first = state.freeList.peekFirst();
            assertThrows(IllegalStateException.class, () -> state.checkFree(first), "a free slice is not freed twice");
            AtomicReference<Throwable> elsewhere = new AtomicReference<>();
            Thread.ofPlatform()
                    .start(() -> {
                        try {
                            state.ofThisThread();
                        } catch (IllegalStateException e) {
                            elsewhere.set(e);
                        }
                    })
                    .join();
            assertInstanceOf(IllegalStateException.class, elsewhere.get(), "another thread finds no list");
        });
    }

    @Test
    void freeListPagedFloor() throws Throwable {
        States.with(
                new AllocFreeBenchmark.PagedFreeListState(),
                AllocFreeBenchmark.PagedFreeListState::setUp,
                AllocFreeBenchmark.PagedFreeListState::tearDown,
                state -> {
                    assertEchoesPayload(() -> benchmark.freeListPagedFloor(state));
                    int slices = AllocFreeBenchmark.PagedFreeListState.PAGES
                            * AllocFreeBenchmark.PagedFreeListState.PER_PAGE;
                    assertEquals(slices, state.ofThisThread().top);
                    MemorySegment held = state.alloc();
                    assertEquals(
                            held.address() & -(1L << AllocFreeBenchmark.PagedFreeListState.PAGE_SHIFT),
                            state.slabOf(held.address()).first(),
                            "a slice's slab is the page holding it");
                    assertThrows(
                            IllegalStateException.class,
                            () -> state.free(held.asSlice(0, 8)),
                            "only the very slice handed out is freed");
                    assertThrows(
                            IllegalStateException.class,
                            () -> state.free(held.asSlice(0, held.byteSize())),
                            "another segment over the same memory is refused");
                    state.free(held);
                    assertThrows(IllegalStateException.class, () -> state.free(held), "a slice is not freed twice");
                    assertThrows(
                            IllegalStateException.class,
                            () -> state.free(MemorySegment.NULL),
                            "memory outside the pages is refused");
                    assertEquals(slices, state.ofThisThread().top);
                });
    }

    @Test
    void freeListKmallocFloor() throws Throwable {
        States.with(
                new AllocFreeBenchmark.KmallocFloorState(),
                AllocFreeBenchmark.KmallocFloorState::setUp,
                AllocFreeBenchmark.KmallocFloorState::tearDown,
                state -> {
                    assertEchoesPayload(() -> benchmark.freeListKmallocFloor(state));
                    int[] sizes = {1, 8, 9, 64, 65, 100, 4096};
                    long[] expected = {8, 8, 16, 64, 128, 128, 4096};
                    for (int i = 0; i < sizes.length; i++) {
                        MemorySegment held = state.kmalloc(sizes[i]);
                        assertEquals(expected[i], held.byteSize(), "the class of " + sizes[i] + " bytes");
                        assertEquals(
                                held.address() & -(1L << AllocFreeBenchmark.KmallocFloorState.PAGE_SHIFT),
                                state.slabOf(held.address()).first(),
                                "a slice's slab is the page holding it");
                        assertThrows(
                                IllegalStateException.class,
                                () -> state.kfree(held.asSlice(0, 1)),
                                "only the very slice handed out is freed");
                        state.kfree(held);
                        assertThrows(
                                IllegalStateException.class, () -> state.kfree(held), "a slice is not freed twice");
                    }
                    assertThrows(IllegalArgumentException.class, () -> state.kmalloc(0));
                    assertThrows(IllegalArgumentException.class, () -> state.kmalloc(4097));
                    assertThrows(
                            IllegalStateException.class,
                            () -> state.kfree(MemorySegment.NULL),
                            "memory outside the pages is refused");
                    for (int c = 0; c < AllocFreeBenchmark.KmallocFloorState.CLASSES; c++) {
                        int perPage = (1 << AllocFreeBenchmark.KmallocFloorState.PAGE_SHIFT)
                                >> (c + AllocFreeBenchmark.KmallocFloorState.MIN_SHIFT);
                        assertEquals(
                                AllocFreeBenchmark.KmallocFloorState.PAGES_PER_CLASS * perPage,
                                state.ofThisThread()[c].top,
                                "every slice of class " + c + " is back on its list");
                    }
                });
    }

    @Test
    void heapByteArray() {
        Blackhole blackhole = new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        for (long payload : PAYLOADS) {
            benchmark.payload = payload;
            benchmark.heapByteArray(blackhole);
        }
    }
}
