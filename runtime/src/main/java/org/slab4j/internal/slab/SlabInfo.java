package org.slab4j.internal.slab;

import java.util.List;

/** The {@code /proc/slabinfo} text, version 2.1, as {@code print_slabinfo_header} and {@code cache_show} print it. */
final class SlabInfo {
    static final String HEADER = "slabinfo - version: 2.1\n"
            + "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
            + " : tunables <limit> <batchcount> <sharedfactor>"
            + " : slabdata <active_slabs> <num_slabs> <sharedavail>\n";

    private SlabInfo() {}

    static String format(List<SlabCache> caches) {
        StringBuilder sb = new StringBuilder(HEADER);
        for (SlabCache c : caches) {
            SlabCache.Info i = c.info();
            Tunables t = c.tunables;
            Geometry.Layout g = c.layout;
            sb.append(String.format(
                    "%-17s %6d %6d %6d %4d %4d : tunables %4d %4d %4d : slabdata %6d %6d %6d%n",
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
        }
        return sb.toString();
    }
}
