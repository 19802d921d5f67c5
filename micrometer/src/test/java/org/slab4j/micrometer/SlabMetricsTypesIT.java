package org.slab4j.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slab4j.SlabAllocator;
import org.slab4j.Slabs;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;

/** The per-type meters of {@link SlabMetrics}, with the packaged agent giving {@link Widget}s their segments. */
class SlabMetricsTypesIT {
    @Slab(size = 40)
    static final class Widget {
        @SlabSegment
        MemorySegment mem;
    }

    @Test
    void typeMetersCountTheInstances() {
        List<Widget> widgets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            widgets.add(new Widget());
        }
        Slabs.free(widgets.remove(0));
        MeterRegistry registry = new SimpleMeterRegistry();
        try (SlabMetrics metrics = new SlabMetrics(SlabAllocator.global(), Duration.ZERO)) {
            metrics.bindTo(registry);
            String type = Widget.class.getName();
            String cache = Slabs.cacheOf(Widget.class).name();
            assertEquals(
                    4,
                    registry.get("slab4j.type.live")
                            .tags("allocator", "global", "cache", cache, "type", type)
                            .gauge()
                            .value());
            assertEquals(
                    5,
                    registry.get("slab4j.type.allocations")
                            .tag("type", type)
                            .functionCounter()
                            .count());
            assertEquals(
                    1,
                    registry.get("slab4j.type.frees")
                            .tag("type", type)
                            .functionCounter()
                            .count());
            assertEquals(
                    0,
                    registry.get("slab4j.type.leaks")
                            .tag("type", type)
                            .functionCounter()
                            .count());
            Slabs.free(widgets.remove(0));
            assertEquals(
                    3,
                    registry.get("slab4j.type.live").tag("type", type).gauge().value());
            assertEquals(
                    3,
                    registry.get("slab4j.cache.objects")
                            .tags("cache", cache, "state", "in.use")
                            .gauge()
                            .value()); // the type's cache: its objects in use are the live widgets
        }
        widgets.forEach(Slabs::free);
    }
}
