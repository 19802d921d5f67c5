package org.slab4j.internal.slab;

import java.util.List;

/** What reports read from a {@link SlabSystem}: its caches as {@link CacheReading}s, and its slabinfo format. */
public final class SlabReadings {
    private SlabReadings() {}

    /** @return a reading of every live cache, newest first, as {@code /proc/slabinfo} lists them */
    public static List<CacheReading> caches(SlabSystem sys) {
        return CacheReading.of(sys.cachesNewestFirst());
    }

    /**
     * @return a reading of the cache behind {@code h}
     * @throws IllegalStateException naming the cache when the handle was destroyed or the allocator closed
     */
    public static CacheReading cache(CacheHandle h) {
        h.checkLive();
        return CacheReading.of(List.of(h.cache)).getFirst();
    }

    /** @return whether {@code sys} prints slabinfo in the "(statistics)" form */
    public static boolean statisticsForm(SlabSystem sys) {
        return sys.statistics;
    }

    /**
     * @param caches the rows, in the order to print them
     * @param statisticsForm whether to print the "(statistics)" form
     * @return the {@code /proc/slabinfo} text (version 2.1) of these readings
     */
    public static String slabinfo(List<CacheReading> caches, boolean statisticsForm) {
        return SlabInfo.text(caches, statisticsForm);
    }
}
