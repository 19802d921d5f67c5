package org.slab4j.it;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.slab4j.SlabOutOfMemoryException;
import org.slab4j.Slabs;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;

/**
 * Runs with a 4 MiB memory limit. {@code explicit}: keeps instances of an {@code EXPLICIT} type until the limit
 * refuses one, and prints the message. {@code sampled}: drops instances of a {@code SAMPLED} type, one in 128 of which
 * is watched, until the limit refuses one, and prints the message. {@code dropped}: makes many more instances of a {@code TRACKED} type than fit
 * under the limit, dropping each without a free, and prints how many it made.
 */
public final class MemoryLimitApp {
    /** Far more than fit in 4 MiB: at most 16384 of 256 bytes. */
    static final int DROPPED = 100_000;

    @Slab(size = 256, release = Slab.Release.TRACKED)
    static final class Dropped {
        @SlabSegment
        MemorySegment mem;
    }

    @Slab(size = 256)
    static final class Sampled {
        @SlabSegment
        MemorySegment mem;
    }

    @Slab(size = 512, release = Slab.Release.EXPLICIT)
    static final class Kept {
        @SlabSegment
        MemorySegment mem;
    }

    private MemoryLimitApp() {}

    public static void main(String[] args) {
        if (args[0].equals("explicit")) {
            List<Kept> kept = new ArrayList<>();
            try {
                while (true) {
                    kept.add(new Kept());
                }
            } catch (SlabOutOfMemoryException e) {
                System.out.println("kept " + kept.size() + ", then: " + e.getMessage());
            }
            kept.forEach(Slabs::free);
        } else if (args[0].equals("sampled")) {
            try {
                while (true) {
                    new Sampled();
                }
            } catch (SlabOutOfMemoryException e) {
                System.out.println("then: " + e.getMessage());
            }
        } else {
            int made = 0;
            try {
                for (; made < DROPPED; made++) {
                    new Dropped();
                }
            } catch (SlabOutOfMemoryException e) {
                System.out.println(e.getMessage());
            }
            System.out.println("dropped " + made + " without a free");
        }
    }
}
