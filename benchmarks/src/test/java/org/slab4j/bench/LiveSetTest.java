package org.slab4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The live-set benchmark at a tiny size, for the kinds that need no agent (the {@code @Slab} kinds run under the agent
 * from the command line, see {@link LiveSet}).
 */
class LiveSetTest {
    /** The kinds that run without the agent. */
    private static final String[] KINDS = {
        "twin", "raw", "zeroed", "wiped", "floor", "checked", "zeroedFloor", "paged", "pagedWiped", "pagedTaken"
    };

    @Test
    void theHeapTwinARawCacheUserAndTheFloorsRunBothChurns() {
        for (String kind : KINDS) {
            for (String churn : new String[] {"random", "fifo"}) {
                LiveSet.Result r = LiveSet.run(kind, 64, 1000, 5000, churn);
                assertEquals(kind, r.kind());
                assertEquals(churn, r.churn());
                assertTrue(r.heapBytesPerRecord() > 0, r.toString());
                assertTrue(r.toString().contains("heap/record"), r.toString());
                if (!kind.equals("twin")) {
                    assertTrue(r.offHeapBytesPerRecord() >= 64, r.toString());
                } else {
                    assertEquals(0, r.offHeapBytesPerRecord(), r.toString());
                }
            }
        }
    }

    /**
     * The floors take any payload: not a multiple of a word (their slices are a word apart, as slab4j's objects), not a
     * power of two (a division finds the index), and over a page.
     */
    @ParameterizedTest
    @ValueSource(ints = {8, 100, 8192})
    void theFloorsTakeAnyPayload(int payload) {
        for (String kind : new String[] {"floor", "checked", "zeroedFloor", "paged", "pagedWiped", "pagedTaken"}) {
            LiveSet.Result r = LiveSet.run(kind, payload, 1000, 5000, "random");
            assertTrue(r.offHeapBytesPerRecord() >= payload, r.toString());
        }
    }

    /**
     * {@code zeroedFloor} zeroes a slice when it hands it out again, {@code wiped} and {@code pagedWiped} when it is
     * freed.
     */
    @ParameterizedTest
    @ValueSource(strings = {"zeroedFloor", "wiped", "pagedWiped"})
    void aReusedRecordIsZeroedAndASecondFreeIsRefused(String name) {
        LiveSet.Kind kind = LiveSet.kind(name, 64, 4);
        try {
            LiveSet.RawRecord first = (LiveSet.RawRecord) kind.make(1);
            first.mem.fill((byte) -1);
            kind.free(first);
            // Read through the kept segment only to see the wipe: the memory is no longer the record's.
            if (!name.equals("zeroedFloor")) {
                assertEquals(-1, first.mem.mismatch(MemorySegment.ofArray(new byte[64])), "wiped by the free");
            }
            LiveSet.RawRecord second = (LiveSet.RawRecord) kind.make(2);
            assertEquals(first.mem, second.mem, "the segment just freed, reused");
            assertEquals(2, second.mem.get(ValueLayout.JAVA_LONG, 0));
            assertEquals(-1, second.mem.asSlice(Long.BYTES).mismatch(MemorySegment.ofArray(new byte[56])), "zeroed");
            kind.free(second);
            assertThrows(IllegalStateException.class, () -> kind.free(second), "a second free is refused");
        } finally {
            kind.done();
        }
    }

    /** The checked floors take back only the very slice they handed out, as slab4j's free does. */
    @ParameterizedTest
    @ValueSource(strings = {"checked", "zeroedFloor", "paged", "pagedWiped", "pagedTaken"})
    void aFreeOfAnythingButTheSliceHandedOutIsRefused(String name) {
        LiveSet.Kind kind = LiveSet.kind(name, 64, 4);
        try {
            Object held = kind.make(1);
            MemorySegment slice =
                    held instanceof LiveSet.TakenRecord taken ? taken.mem : ((LiveSet.RawRecord) held).mem;
            for (MemorySegment other : new MemorySegment[] {
                slice.asSlice(0, 8), slice.asSlice(0, 64), Arena.ofAuto().allocate(64, 8)
            }) {
                Object forged = held instanceof LiveSet.TakenRecord
                        ? new LiveSet.TakenRecord(other, 2)
                        : new LiveSet.RawRecord(other, 2);
                assertThrows(IllegalStateException.class, () -> kind.free(forged), other.toString());
            }
            kind.free(held);
        } finally {
            kind.done();
        }
    }

    /**
     * {@code pagedTaken} takes the slice out of the record in one atomic exchange: the record is left with
     * {@code null}, a second free of it is refused, and the slice was wiped for its next record.
     */
    @Test
    void aTakenRecordIsEmptiedByItsFreeAndASecondFreeIsRefused() {
        LiveSet.Kind kind = LiveSet.kind("pagedTaken", 64, 4);
        try {
            LiveSet.TakenRecord first = (LiveSet.TakenRecord) kind.make(1);
            MemorySegment slice = first.mem;
            slice.fill((byte) -1);
            kind.free(first);
            assertNull(first.mem, "taken out of the record");
            assertEquals(
                    "the record was freed already",
                    assertThrows(IllegalStateException.class, () -> kind.free(first))
                            .getMessage());
            LiveSet.TakenRecord second = (LiveSet.TakenRecord) kind.make(2);
            assertSame(slice, second.mem, "the slice just freed, reused");
            assertEquals(2, second.mem.get(ValueLayout.JAVA_LONG, 0));
            assertEquals(-1, second.mem.asSlice(Long.BYTES).mismatch(MemorySegment.ofArray(new byte[56])), "wiped");
            kind.free(second);
        } finally {
            kind.done();
        }
    }

    @Test
    void badArgumentsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LiveSet.run("heap", 64, 10, 10, "random"))
                .getMessage()
                .contains("kind 'heap' is not twin, explicit, default, raw, zeroed, wiped, floor, checked,"
                        + " zeroedFloor, paged, pagedWiped or pagedTaken"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LiveSet.run("twin", 64, 10, 10, "lifo"))
                .getMessage()
                .contains("churn 'lifo' is not random or fifo"));
    }
}
