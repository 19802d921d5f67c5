package org.slab4j.sample;

/** The run in a few lines a person reads in ten seconds. */
record Summary(
        Engine.Result withSlabs,
        Engine.Result onHeap,
        long slabPhaseHeapBytes,
        long heapPhaseHeapBytes,
        Main.Burst burst,
        long slabBytesAtEnd,
        long leaks,
        String leakSite) {

    @Override
    public String toString() {
        return String.format(
                """

                === slab4j sample: summary ===
                with slabs : %,12.0f orders/s, %,d trades (%,d stamped by the trade cache's constructor), %,d snapshots
                on the heap: %,12.0f orders/s, %,d trades
                payloads kept off the heap: %s (64-byte orders, 48-byte trades, 512-byte snapshots) in at most %s of slabs
                heap allocated per order: %,.0f bytes with slabs, %,.0f bytes with heap payloads
                GC: %d collections, %d ms with slabs | %d collections, %d ms on the heap
                burst of 200,000 quotes: slabs held %s -> %s, %s after the frees, %s at the end of the phase (the reaper)
                leak report: %d snapshots reclaimed after GC without a free, allocated at %s
                """,
                withSlabs.ordersPerSecond(),
                withSlabs.trades(),
                withSlabs.stampedTrades(),
                withSlabs.snapshots(),
                onHeap.ordersPerSecond(),
                onHeap.trades(),
                mib(withSlabs.orders() * 64 + withSlabs.trades() * 48 + withSlabs.snapshots() * 512),
                mib(burst.peak),
                perOrder(slabPhaseHeapBytes, withSlabs.orders()),
                perOrder(heapPhaseHeapBytes, onHeap.orders()),
                withSlabs.gcCount(),
                withSlabs.gcMillis(),
                onHeap.gcCount(),
                onHeap.gcMillis(),
                mib(burst.before),
                mib(burst.peak),
                mib(burst.afterFree),
                mib(slabBytesAtEnd),
                leaks,
                leakSite);
    }

    private static double perOrder(long bytes, long orders) {
        return orders == 0 ? 0 : (double) bytes / orders;
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
