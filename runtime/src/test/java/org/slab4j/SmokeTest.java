package org.slab4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void allocFreeAndSlabinfo() {
        try (SlabAllocator a = SlabAllocator.builder().build()) {
            KmemCache c = a.createCache("point", 16);
            MemorySegment[] objs = new MemorySegment[1000];
            for (int i = 0; i < objs.length; i++) {
                objs[i] = c.alloc();
                objs[i].set(ValueLayout.JAVA_LONG, 0, i);
            }
            for (int i = 0; i < objs.length; i++) {
                assertEquals(i, objs[i].get(ValueLayout.JAVA_LONG, 0));
                c.free(objs[i]);
            }
            MemorySegment k = a.kmalloc(100);
            assertEquals(128, a.ksize(k));
            a.kfree(k);
            System.out.print(a.slabinfo());
        }
    }
}
