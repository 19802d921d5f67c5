package org.slab4j.internal.report;

import java.util.List;
import org.slab4j.Slabs;

/**
 * The {@code @Slab} types over JMX ({@code org.slab4j:type=SlabTypes}, registered with the global allocator's beans,
 * where {@code @Slab} instances live): {@link Slabs#allStats()}, each type with its allocation sites, as open data
 * (one composite per type, with its sites as an array of composites). {@code slabtop}'s types view reads it.
 */
public interface SlabTypesMXBean {
    /** @return the counters of every {@code @Slab} type used so far, read when asked for */
    List<Slabs.TypeStats> getTypes();

    /** The bean: reads {@link Slabs#allStats()}. */
    final class Bean implements SlabTypesMXBean {
        @Override
        public List<Slabs.TypeStats> getTypes() {
            return Slabs.allStats();
        }
    }
}
