package org.slab4j.internal.slab;

import java.util.ArrayList;
import java.util.List;

/** What reports read from a {@link SlabSystem}: its caches as {@link CacheReading}s, and its slabinfo format. */
public final class SlabReadings {
    private SlabReadings() {}

    /** @return a reading of every live cache, newest first, as {@code /proc/slabinfo} lists them */
    public static List<CacheReading> caches(SlabSystem sys) {
        List<CacheReading> out = new ArrayList<>();
        for (SlabCache c : sys.cachesNewestFirst()) {
            out.add(CacheReading.of(c));
        }
        return List.copyOf(out);
    }

    /**
     * @return a reading of the cache behind {@code h}
     * @throws IllegalStateException naming the cache when the handle was destroyed or the allocator closed
     */
    public static CacheReading cache(CacheHandle h) {
        h.checkLive();
        return CacheReading.of(h.cache);
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
