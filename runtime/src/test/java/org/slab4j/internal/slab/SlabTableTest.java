package org.slab4j.internal.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The slab ids that array entries name: one live slab per id, ids reused after a slab is destroyed. */
class SlabTableTest {
    @Test
    void everyLiveSlabHasItsOwnIdAndDestroyedSlabsGiveTheirsBack() {
        SlabSystem sys = BootTest.boot();
        CacheHandle h = sys.createCache("ids", 1024, 0, 0, null); // 4 objects per 4 KiB slab
        SlabCache c = h.cache();
        List<MemorySegment> objects = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            objects.add(c.alloc(h));
        }
        Set<Integer> ids = liveIds(c);
        assertEquals(c.nodes[0].totalSlabs, ids.size(), "one id per live slab");
        for (int id : ids) {
            Slab slab = c.slabsById[id];
            assertEquals(id, slab.id);
            assertSame(c, slab.cache);
        }
        for (MemorySegment o : objects) {
            c.free(h, null, o);
        }
        sys.shrink(h);
        assertEquals(0, c.nodes[0].totalSlabs);
        for (int id : ids) {
            assertNull(c.slabsById[id], "a destroyed slab's id is free");
        }
        objects.clear();
        for (int i = 0; i < 40; i++) {
            objects.add(c.alloc(h));
        }
        assertEquals(ids, liveIds(c), "new slabs take the freed ids: the table does not grow");
        for (MemorySegment o : objects) {
            c.free(h, null, o);
        }
        sys.close();
    }

    private static Set<Integer> liveIds(SlabCache c) {
        Set<Integer> ids = new HashSet<>();
        Slab[] slabs = c.slabsById;
        for (int id = 0; id < slabs.length; id++) {
            if (slabs[id] != null) {
                ids.add(id);
            }
        }
        return ids;
    }
}
