package org.slab4j.sample;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;

/**
 * A two-sided quote: 92 bytes, which rounds to the same 96-byte buffer as {@link Order}, with no constructor and the
 * same flags, so its cache merges into "order" exactly as Linux's {@code find_mergeable} would.
 */
@Slab(name = "quote", size = 92, release = Slab.Release.EXPLICIT)
final class Quote implements AutoCloseable {
    @SlabSegment
    MemorySegment mem;

    Quote(long bid, long ask) {
        mem.set(JAVA_LONG, 0, bid);
        mem.set(JAVA_LONG, 8, ask);
    }

    long spread() {
        return mem.get(JAVA_LONG, 8) - mem.get(JAVA_LONG, 0);
    }

    /** The agent returns the segment after this body: try-with-resources frees a quote. */
    @Override
    public void close() {}
}
