package org.slab4j.bench;

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

    @Test
    void slab4j() throws Throwable {
        AllocFreeBenchmark.SlabState state = new AllocFreeBenchmark.SlabState();
        state.setUp();
        try {
            assertEchoesPayload(() -> benchmark.slab4j(state));
        } finally {
            state.tearDown();
        }
    }

    @Test
    void slab4jKmalloc() throws Throwable {
        AllocFreeBenchmark.SlabState state = new AllocFreeBenchmark.SlabState();
        state.setUp();
        try {
            assertEchoesPayload(() -> benchmark.slab4jKmalloc(state));
        } finally {
            state.tearDown();
        }
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
        AllocFreeBenchmark.FreeListState state = new AllocFreeBenchmark.FreeListState();
        state.setUp();
        try {
            assertEchoesPayload(() -> benchmark.freeListSlices(state));
            assertEquals(AllocFreeBenchmark.FreeListState.SLICES, state.freeList.size());
        } finally {
            state.tearDown();
        }
    }

    @Test
    void freeListFloors() throws Throwable {
        AllocFreeBenchmark.FreeListState state = new AllocFreeBenchmark.FreeListState();
        state.setUp();
        try {
            assertEchoesPayload(() -> benchmark.freeListByThread(state));
            assertEchoesPayload(() -> benchmark.freeListChecked(state));
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
        } finally {
            state.tearDown();
        }
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
