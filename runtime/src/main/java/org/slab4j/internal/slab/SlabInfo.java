package org.slab4j.internal.slab;

import java.util.List;

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
        StringBuilder sb = new StringBuilder();
        sb.append(statistics ? "slabinfo - version: 2.1 (statistics)\n" : "slabinfo - version: 2.1\n");
        sb.append(COLUMNS).append(statistics ? STAT_COLUMNS : "").append('\n');
        for (SlabCache c : caches) {
            SlabCache.Info i = c.info();
            Tunables t = c.tunables;
            Geometry.Layout g = c.layout;
            sb.append(String.format(
                    "%-17s %6d %6d %6d %4d %4d : tunables %4d %4d %4d : slabdata %6d %6d %6d",
                    c.name,
                    i.activeObjs(),
                    i.numObjs(),
                    g.size(),
                    g.num(),
                    1 << g.order(),
                    t.limit(),
                    t.batchcount(),
                    t.shared(),
                    i.activeSlabs(),
                    i.numSlabs(),
                    i.sharedAvail()));
            if (statistics) {
                long[] st = c.statistics();
                sb.append(String.format(
                        " : globalstat %7d %6d %5d %4d %4d %4d %4d %4d %4d : cpustat %6d %6d %6d %6d",
                        st[0], st[1], st[2], st[3], st[4], st[5], st[6], st[7], st[8], st[9], st[10], st[11], st[12]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
