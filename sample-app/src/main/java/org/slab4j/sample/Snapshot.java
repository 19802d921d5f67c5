package org.slab4j.sample;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import org.slab4j.SlabFlag;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;

/**
 * A market-data snapshot: last price and volume per instrument, 512 bytes in a cache that must not merge. Snapshots
 * are {@code TRACKED}: one that is dropped without a free is reclaimed after GC and reported as a leak at its
 * allocation site.
 */
@Slab(name = "snapshot", size = 512, flags = SlabFlag.NO_MERGE, release = Slab.Release.TRACKED)
final class Snapshot {
    static final int INSTRUMENTS = 32;

    @SlabSegment
    MemorySegment mem;

    Snapshot(long[] lastPrice, long[] volume) {
        for (int i = 0; i < INSTRUMENTS; i++) {
            mem.set(JAVA_LONG, 16L * i, lastPrice[i]);
            mem.set(JAVA_LONG, 16L * i + 8, volume[i]);
        }
    }

    long volume(int instrument) {
        return mem.get(JAVA_LONG, 16L * instrument + 8);
    }
}
