package org.slab4j;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A cache constructor that re-enters the allocator, seen from the public API. */
class ConstructorReentryTest {

    /**
     * A constructor that tunes its own cache down and then allocates from it (or another thread's {@code tune} landing
     * while a constructor allocates from its own cache): the nested refill shrinks the thread's array, and the outer
     * refill then pushes its batch past the new end.
     */
    @Test
    void tuneFromAConstructorThatAllocatesFromItsOwnCacheKeepsTheAllocatorWorking() {
        try (SlabAllocator a =
                SlabAllocator.builder().nodes(1).reapInterval(Duration.ZERO).build()) {
            AtomicReference<KmemCache> self = new AtomicReference<>();
            AtomicBoolean once = new AtomicBoolean();
            List<MemorySegment> nested = new ArrayList<>();
            KmemCache c = a.createCache("tuned-in-ctor", 64, 0, Set.of(), m -> {
                if (once.compareAndSet(false, true)) {
                    a.tune("tuned-in-ctor", 1, 1, 0);
                    nested.add(self.get().alloc());
                }
            });
            self.set(c);
            MemorySegment first = assertDoesNotThrow(c::alloc);
            List<MemorySegment> more = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                more.add(c.alloc());
            }
            c.free(first);
            nested.forEach(c::free);
            more.forEach(c::free);
            c.destroy();
            assertEquals(4L << 20, a.mappedBytes(), "only the allocator's own chunk is left");
        }
    }
}
