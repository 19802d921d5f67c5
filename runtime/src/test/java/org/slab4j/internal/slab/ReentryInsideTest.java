package org.slab4j.internal.slab;

import static org.slab4j.internal.slab.LifecycleInsideTest.assertListsConsistent;
import static org.slab4j.internal.slab.LifecycleInsideTest.boot;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Slow paths re-entered by a cache constructor, seen from inside. */
class ReentryInsideTest {
    /**
     * A constructor that binds its platform thread to another node while the thread's refill grows a slab: the refill
     * then fills the array with the old node's objects under the new node's label, and the next drain puts them on the
     * new node's lists (a slab on the wrong node's list, its counts below zero, lists changed without their lock).
     */
    @Test
    void aBindFromInsideAConstructorPutsNoSlabOnAnotherNodesList() {
        SlabSystem sys = boot(2);
        sys.threadCpus.bindCurrentThread(0);
        AtomicBoolean once = new AtomicBoolean();
        CacheHandle h = sys.createCache("binds", 64, 0, 0, seg -> {
            if (once.compareAndSet(false, true)) {
                try {
                    sys.threadCpus.bindCurrentThread(1);
                } catch (IllegalStateException refused) {
                    // refusing the bind is one way out
                }
            }
        });
        List<MemorySegment> objects = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            objects.add(h.cache.alloc(h));
        }
        for (MemorySegment o : objects) {
            h.cache.free(h, null, o);
        }
        sys.threadCpus.drainCurrentThread();
        assertListsConsistent(sys);
    }
}
