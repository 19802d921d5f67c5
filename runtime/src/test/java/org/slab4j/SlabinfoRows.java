package org.slab4j;

import java.util.LinkedHashMap;
import java.util.Map;

/** Parses {@code /proc/slabinfo} text into rows of numbers, for assertions. */
final class SlabinfoRows {
    /**
     * One row: {@code active_objs num_objs objsize objperslab pagesperslab limit batchcount shared active_slabs
     * num_slabs sharedavail}.
     */
    record Row(
            long activeObjs,
            long numObjs,
            long objsize,
            long objPerSlab,
            long pagesPerSlab,
            long limit,
            long batchcount,
            long shared,
            long activeSlabs,
            long numSlabs,
            long sharedAvail) {}

    private SlabinfoRows() {}

    static Map<String, Row> parse(String text) {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("slabinfo") || line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.replace(":", " ").trim().split("\\s+");
            // name a n size per pages tunables l b s slabdata as ns sa
            rows.put(
                    f[0],
                    new Row(
                            Long.parseLong(f[1]),
                            Long.parseLong(f[2]),
                            Long.parseLong(f[3]),
                            Long.parseLong(f[4]),
                            Long.parseLong(f[5]),
                            Long.parseLong(f[7]),
                            Long.parseLong(f[8]),
                            Long.parseLong(f[9]),
                            Long.parseLong(f[11]),
                            Long.parseLong(f[12]),
                            Long.parseLong(f[13])));
        }
        return rows;
    }
}
