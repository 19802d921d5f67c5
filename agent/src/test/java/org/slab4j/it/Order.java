package org.slab4j.it;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;

/** The example: a 64-byte order with a cache constructor. */
@Slab(name = "it-order", size = 64, ctor = "init")
public class Order {
    static final AtomicLong CONSTRUCTED = new AtomicLong();
    static final long MAGIC = 0x5ab4L;

    @SlabSegment
    MemorySegment mem;

    final long idSeenInConstructor;

    static void init(MemorySegment m) {
        CONSTRUCTED.incrementAndGet();
        m.set(JAVA_LONG, 8, MAGIC);
    }

    public Order(long id) {
        mem.set(JAVA_LONG, 0, id);
        idSeenInConstructor = mem.get(JAVA_LONG, 0);
    }

    public long id() {
        return mem.get(JAVA_LONG, 0);
    }
}
