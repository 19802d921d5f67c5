package org.slab4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * The {@link AgentBenchmark} method that needs no agent, its floor: correctness, not speed (the {@code @Slab} methods
 * run under the agent, from the command line).
 */
class AgentBenchmarkTest {
    @Test
    void theFloorOrderZeroesItsSegmentAndIsFreedOnce() throws Throwable {
        AgentBenchmark benchmark = new AgentBenchmark();
        States.with(
                new AllocFreeBenchmark.PagedFreeListState(),
                AllocFreeBenchmark.PagedFreeListState::setUp,
                AllocFreeBenchmark.PagedFreeListState::tearDown,
                slabs -> {
                    for (long payload : new long[] {0L, -1L, 0x0123_4567_89AB_CDEFL}) {
                        benchmark.payload = payload;
                        assertEquals(payload, benchmark.floorOrder(slabs));
                    }
                    MemorySegment dirty = slabs.alloc();
                    dirty.fill((byte) -1);
                    slabs.free(dirty); // the next allocation on this thread reuses it
                    AgentBenchmark.FloorOrder order = new AgentBenchmark.FloorOrder(slabs, 42);
                    assertEquals(dirty, order.mem, "the slice just freed");
                    assertEquals(42, order.id());
                    assertEquals(
                            -1, order.mem.asSlice(Long.BYTES).mismatch(MemorySegment.ofArray(new byte[56])), "zeroed");
                    order.free(slabs);
                    assertEquals(MemorySegment.NULL, order.mem);
                    assertThrows(IllegalStateException.class, () -> order.free(slabs), "freed once only");
                });
    }
}
