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

/** Adversarial cases found in the third review round; each failed before its fix. */
class AdversarialRev3Test {

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
    /**
     * The reaper destroys free slabs of an OFF_SLAB cache, whose freelists go back to kmalloc through the reaper
     * thread's own array; nobody ever drains that array (the reaper takes no slow path, and it never ends), so those
     * kmalloc objects, and their slabs and chunk, stay after the cache is destroyed and every caller drained and shrank.
     */
    @Test
    void freelistsTheReaperGivesBackStayInNoArray() throws Exception {
        try (SlabAllocator a = SlabAllocator.builder()
                .nodes(1)
                .reapInterval(Duration.ofMillis(1))
                .build()) {
            KmemCache off = a.createCache("off-slab", 512, 0, Set.of(), m -> {}); // a constructor: OFF_SLAB
            assertEquals(FreelistMode.OFF_SLAB, off.geometry().freelistMode());
            List<MemorySegment> objects = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                objects.add(off.alloc());
            }
            objects.forEach(off::free);
            a.drainCurrentThread(); // free slabs within free_limit stay listed, for the reaper
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (off.stats().slabs() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(0, off.stats().slabs(), "the reaper destroyed the free slabs");
            off.destroy();
            a.drainCurrentThread();
            long held = 0;
            for (KmemCache c : a.caches()) {
                c.shrink();
                if (!c.name().equals("kmem_cache")) {
                    held += c.stats().totalObjects();
                }
            }
            assertEquals(0, held, "kmalloc objects still held after destroy, drain and shrink:\n" + a.slabinfo());
        }
    }
}
