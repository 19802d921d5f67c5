package org.slab4j.internal.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slab4j.CacheStats;
import org.slab4j.KmemCache;
import org.slab4j.SlabAllocator;

/**
 * The periodic {@code org.slab4j.CacheStatistics} event: a recording that enables it gets each cache's slabinfo
 * numbers at the end of its chunk (the default period, {@code everyChunk}), and none of a closed allocator.
 */
class JfrStatisticsTest {
    private static List<RecordedEvent> record(Path file, String allocator) throws Exception {
        try (Recording r = new Recording()) {
            r.enable("org.slab4j.CacheStatistics");
            r.start();
            r.stop();
            r.dump(file);
        }
        return RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("org.slab4j.CacheStatistics")
                        && allocator.equals(e.getString("allocator")))
                .toList();
    }

    @Test
    void eachCacheOfEachOpenAllocatorIsRecordedEachPeriod(@TempDir Path dir) throws Exception {
        SlabAllocator a = SlabAllocator.builder().name("jfr-stats").build();
        KmemCache c = a.createCache("jfr-cache", 100);
        List<MemorySegment> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            held.add(c.alloc());
        }
        CacheStats stats = c.stats();
        List<RecordedEvent> events = record(dir.resolve("open.jfr"), "jfr-stats");
        List<RecordedEvent> ours = events.stream()
                .filter(e -> e.getString("cache").equals("jfr-cache"))
                .toList();
        assertFalse(ours.isEmpty(), "events: " + events);
        assertTrue(events.stream().anyMatch(e -> e.getString("cache").equals("kmalloc-64")), "every cache: " + events);
        RecordedEvent e = ours.getLast();
        assertEquals(100, e.getLong("objectSize"));
        assertEquals(5, e.getLong("inUseObjs"));
        assertEquals(stats.totalObjects(), e.getLong("numObjs"));
        assertEquals(stats.cachedObjects(), e.getLong("cachedObjs"));
        assertEquals(stats.freeObjects(), e.getLong("freeObjs"));
        assertEquals(stats.slabs(), e.getLong("numSlabs"));
        assertEquals(stats.slabBytes(), e.getLong("slabBytes"));
        assertEquals(e.getLong("inUseObjs") + e.getLong("cachedObjs"), e.getLong("activeObjs"));
        assertTrue(e.getLong("limit") > 0 && e.getLong("batchcount") > 0, e.toString());
        assertEquals(List.of("slab4j"), e.getEventType().getCategoryNames());
        held.forEach(c::free);
        a.close();
        assertTrue(record(dir.resolve("closed.jfr"), "jfr-stats").isEmpty(), "a closed allocator leaves");
    }
}
