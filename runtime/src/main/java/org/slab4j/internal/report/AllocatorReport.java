package org.slab4j.internal.report;

import java.time.Instant;
import java.util.List;
import org.slab4j.internal.slab.CacheReading;
import org.slab4j.internal.slab.SlabReadings;
import org.slab4j.internal.slab.SlabSystem;

/**
 * One report of one allocator: the numbers every format prints (slabinfo, the slabtop summary, JSON lines, JMX), read
 * once. Immutable.
 *
 * @param allocator the allocator's name
 * @param time when the numbers were read
 * @param nodes the allocator's node count
 * @param mappedBytes native memory mapped, in whole chunks
 * @param memoryLimit the allocator's memory limit ({@link Long#MAX_VALUE}: none)
 * @param statisticsForm whether the allocator prints slabinfo in the "(statistics)" form
 * @param caches every live cache, newest first (as slabinfo lists them)
 * @param totals the sums over {@code caches}
 * @param sections further parts (per type, per allocation site, leaks), in order; none from the runtime alone
 */
public record AllocatorReport(
        String allocator,
        Instant time,
        int nodes,
        long mappedBytes,
        long memoryLimit,
        boolean statisticsForm,
        List<CacheReading> caches,
        ReportTotals totals,
        List<ReportSection> sections) {

    /** Copies the lists. */
    public AllocatorReport {
        caches = List.copyOf(caches);
        sections = List.copyOf(sections);
    }

    /**
     * Reads allocator {@code sys} now.
     *
     * @throws IllegalStateException when the allocator is closed
     */
    public static AllocatorReport read(String allocator, SlabSystem sys, List<ReportSection> sections) {
        if (sys.isClosed()) {
            throw new IllegalStateException("report of allocator '" + allocator + "': the allocator is closed");
        }
        Instant time = Instant.now();
        List<CacheReading> caches = SlabReadings.caches(sys);
        return new AllocatorReport(
                allocator,
                time,
                sys.nodeCount(),
                sys.pages().mappedBytes(),
                sys.pages().limit(),
                SlabReadings.statisticsForm(sys),
                caches,
                ReportTotals.of(caches),
                sections);
    }

    /** @return the caches that hold at least one slab, newest first: those the text and JSON reports list */
    public List<CacheReading> nonEmptyCaches() {
        return caches.stream().filter(c -> c.numSlabs() > 0).toList();
    }

    /** @return the {@code /proc/slabinfo} text (version 2.1) of these numbers, in the allocator's form */
    public String slabinfo() {
        return SlabReadings.slabinfo(caches, statisticsForm);
    }
}
