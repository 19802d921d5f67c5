package org.slab4j.internal.slab;

import java.util.List;
import org.slab4j.SlabStatistics;

/** The {@code /proc/slabinfo} text, version 2.1, as {@code print_slabinfo_header} and {@code cache_show} print it. */
final class SlabInfo {
    private static final String COLUMNS =
            "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
                    + " : tunables <limit> <batchcount> <sharedfactor>"
                    + " : slabdata <active_slabs> <num_slabs> <sharedavail>";
    private static final String STAT_COLUMNS =
            " : globalstat <listallocs> <maxobjs> <grown> <reaped> <error> <maxfreeable>"
                    + " <nodeallocs> <remotefrees> <alienoverflow> : cpustat <allochit> <allocmiss> <freehit> <freemiss>";

    private SlabInfo() {}

    /**
     * @param statistics whether to print the "(statistics)" form, as a kernel with {@code CONFIG_DEBUG_SLAB} does
     */
    static String format(List<SlabCache> caches, boolean statistics) {
        return text(CacheReading.of(caches), statistics);
    }

    /**
     * @param caches the rows, in the order to print them
     * @param statistics whether to print the "(statistics)" form, as a kernel with {@code CONFIG_DEBUG_SLAB} does
     */
    static String text(List<CacheReading> caches, boolean statistics) {
        StringBuilder sb = new StringBuilder();
        sb.append(statistics ? "slabinfo - version: 2.1 (statistics)\n" : "slabinfo - version: 2.1\n");
        sb.append(COLUMNS).append(statistics ? STAT_COLUMNS : "").append('\n');
        for (CacheReading c : caches) {
            Tunables t = c.tunables();
            sb.append(String.format(
                    "%-17s %6d %6d %6d %4d %4d : tunables %4d %4d %4d : slabdata %6d %6d %6d",
                    c.name(),
                    c.activeObjs(),
                    c.numObjs(),
                    c.size(),
                    c.objPerSlab(),
                    c.pagesPerSlab(),
                    t.limit(),
                    t.batchcount(),
                    t.shared(),
                    c.activeSlabs(),
                    c.numSlabs(),
                    c.sharedAvail()));
            if (statistics) {
                SlabStatistics st = c.statistics();
                sb.append(String.format(
                        " : globalstat %7d %6d %5d %4d %4d %4d %4d %4d %4d : cpustat %6d %6d %6d %6d",
                        st.listAllocs(),
                        st.maxObjs(),
                        st.grown(),
                        st.reaped(),
                        st.errors(),
                        st.maxFreeable(),
                        st.nodeAllocs(),
                        st.remoteFrees(),
                        st.alienOverflow(),
                        st.allocHit(),
                        st.allocMiss(),
                        st.freeHit(),
                        st.freeMiss()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
