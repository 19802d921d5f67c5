package org.slab4j.internal.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slab4j.KmemCache;
import org.slab4j.SlabAllocator;
import org.slab4j.SlabFlag;
import org.slab4j.Slabs;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;
import org.slab4j.internal.type.AgentHooks;

/** The JFR events reach a recording that enables them, and only such a recording. */
class SlabEventsTest {
    @Test
    void enabledEventsArriveWithTheirFields(@TempDir Path dir) throws Exception {
        SlabEvents.slabGrow("before", 0, 0); // no recording: nothing happens
        List<RecordedEvent> events;
        try (Recording r = new Recording()) {
            r.enable("org.slab4j.CacheCreate");
            r.enable("org.slab4j.CacheDestroy");
            r.enable("org.slab4j.SlabGrow");
            r.enable("org.slab4j.Reap");
            // org.slab4j.SlabDestroy stays off
            r.start();
            SlabEvents.cacheCreate("order", 60, 64);
            SlabEvents.slabGrow("order", 1, 2);
            SlabEvents.slabDestroy("order", 1, 2);
            SlabEvents.reap("order", 1, 3);
            SlabEvents.cacheDestroy("order");
            r.stop();
            Path file = dir.resolve("slab4j.jfr");
            r.dump(file);
            events = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().startsWith("org.slab4j."))
                    .toList();
            Files.delete(file);
        }
        assertEquals(
                List.of("org.slab4j.CacheCreate", "org.slab4j.SlabGrow", "org.slab4j.Reap", "org.slab4j.CacheDestroy"),
                events.stream().map(e -> e.getEventType().getName()).toList());
        RecordedEvent create = events.get(0);
        assertEquals("order", create.getString("cache"));
        assertEquals(60, create.getLong("objectSize"));
        assertEquals(64, create.getLong("size"));
        assertEquals(List.of("slab4j"), create.getEventType().getCategoryNames());
        RecordedEvent grow = events.get(1);
        assertEquals("order", grow.getString("cache"));
        assertEquals(1, grow.getInt("node"));
        assertEquals(2, grow.getInt("order"));
        assertEquals(List.of("slab4j"), grow.getEventType().getCategoryNames());
        assertNull(grow.getStackTrace(), "no stack traces: the events come from slow paths, not from the caller");
        assertEquals(3, events.get(2).getLong("slabsFreed"));
        assertEquals("order", events.get(3).getString("cache"));
    }

    @Test
    void theAllocatorRaisesThemOnItsSlowPaths(@TempDir Path dir) throws Exception {
        List<String> names;
        try (Recording r = new Recording()) {
            for (String e : List.of("CacheCreate", "CacheDestroy", "SlabGrow", "SlabDestroy")) {
                r.enable("org.slab4j." + e);
            }
            r.start();
            try (SlabAllocator a =
                    SlabAllocator.builder().reapInterval(Duration.ZERO).build()) {
                KmemCache c = a.createCache("evented", 1000);
                c.free(c.alloc());
                c.shrink();
                c.destroy();
            }
            r.stop();
            Path file = dir.resolve("alloc.jfr");
            r.dump(file);
            names = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().startsWith("org.slab4j.")
                            && "evented".equals(e.getString("cache")))
                    .map(e -> e.getEventType().getName())
                    .toList();
        }
        assertEquals(
                List.of(
                        "org.slab4j.CacheCreate",
                        "org.slab4j.SlabGrow",
                        "org.slab4j.SlabDestroy",
                        "org.slab4j.CacheDestroy"),
                names);
    }

    /**
     * A merged cache whose own name is destroyed lives on under its alias's name, as slabinfo, the MBeans and the
     * Micrometer meters call it; its events named it by the destroyed name, which a new cache may then take: its slabs
     * and its destruction were recorded under the other cache's name. They are recorded under the row's name.
     */
    @Test
    void theEventsOfACacheLivingOnUnderItsAliasNameTheAlias(@TempDir Path dir) throws Exception {
        List<String> events;
        try (SlabAllocator a =
                        SlabAllocator.builder().reapInterval(Duration.ZERO).build();
                Recording r = new Recording()) {
            KmemCache orders = a.createCache("orders", 200);
            KmemCache quotes = a.createCache("quotes", 200);
            assertTrue(quotes.isAlias(), "merged");
            for (String e : List.of("CacheCreate", "CacheDestroy", "SlabGrow", "SlabDestroy")) {
                r.enable("org.slab4j." + e);
            }
            r.start();
            orders.destroy();
            KmemCache again = a.createCache("orders", 200, 0, Set.of(SlabFlag.NO_MERGE), null);
            quotes.free(quotes.alloc());
            quotes.shrink();
            quotes.destroy();
            again.destroy();
            r.stop();
            Path file = dir.resolve("alias.jfr");
            r.dump(file);
            events = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().startsWith("org.slab4j."))
                    .map(e -> e.getEventType().getName().substring("org.slab4j.".length()) + " " + e.getString("cache"))
                    .toList();
        }
        assertEquals(
                List.of(
                        "CacheCreate orders",
                        "SlabGrow quotes",
                        "SlabDestroy quotes",
                        "CacheDestroy quotes",
                        "CacheDestroy orders"),
                events);
    }

    @Slab(name = "sampled-type", size = 24)
    static final class Sampled {
        @SlabSegment
        MemorySegment mem;

        Sampled() {
            mem = AgentHooks.construct(this, MethodHandles.lookup()); // what the agent's rewrite does after super()
        }
    }

    @Test
    void allocationsAreSampledWithTheirSiteAndThrottled(@TempDir Path dir) throws Exception {
        List<RecordedEvent> samples;
        try (Recording r = new Recording()) {
            r.enable("org.slab4j.AllocationSample");
            r.start();
            for (int i = 0; i < 10_000; i++) {
                Slabs.free(new Sampled());
            }
            r.stop();
            Path file = dir.resolve("samples.jfr");
            r.dump(file);
            samples = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("org.slab4j.AllocationSample"))
                    .toList();
        }
        assertTrue(!samples.isEmpty(), "at least one sample");
        assertTrue(samples.size() < 1_000, "throttled: " + samples.size() + " samples of 10,000 allocations");
        RecordedEvent e = samples.getFirst();
        assertEquals(Sampled.class.getName(), e.getString("type"));
        assertEquals("sampled-type", e.getString("cache"));
        assertEquals(24, e.getLong("objectSize"));
        assertEquals("(not a new expression)", e.getString("site"), "no agent here: no site id was handed over");
        assertTrue(
                e.getStackTrace().getFrames().stream()
                        .anyMatch(
                                f -> f.getMethod().getName().equals("allocationsAreSampledWithTheirSiteAndThrottled")),
                "the sample's stack trace reaches the allocating method: " + e.getStackTrace());
    }
}
