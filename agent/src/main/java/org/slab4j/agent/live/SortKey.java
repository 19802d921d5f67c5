package org.slab4j.agent.live;

import java.util.Comparator;
import org.slab4j.agent.live.Snapshot.CacheRow;

/**
 * The sort keys of procps {@code slabtop}, for {@code -s KEY} and the interactive keys: every order is largest first,
 * except {@link #n} (by name, A to Z). Ties are broken by name.
 */
enum SortKey {
    a("active objects", Comparator.comparingLong(CacheRow::activeObjs).reversed()),
    b("objects per slab", Comparator.comparingLong(CacheRow::objPerSlab).reversed()),
    c("cache size", Comparator.comparingLong(CacheRow::slabBytes).reversed()),
    l("slabs", Comparator.comparingLong(CacheRow::numSlabs).reversed()),
    v("active slabs", Comparator.comparingLong(CacheRow::activeSlabs).reversed()),
    n("name", Comparator.comparing(CacheRow::name)),
    o("objects", Comparator.comparingLong(CacheRow::numObjs).reversed()),
    p("pages per slab", Comparator.comparingLong(CacheRow::pagesPerSlab).reversed()),
    s("object size", Comparator.comparingLong(CacheRow::objsize).reversed()),
    u("cache utilization", Comparator.comparingInt(CacheRow::use).reversed());

    /** procps slabtop's default order. */
    static final SortKey DEFAULT = o;

    private final String label;
    private final Comparator<CacheRow> order;

    SortKey(String label, Comparator<CacheRow> order) {
        this.label = label;
        this.order = order.thenComparing(CacheRow::name);
    }

    /** @return the key for character {@code c}, or null when it is none */
    static SortKey of(char c) {
        for (SortKey k : values()) {
            if (k.name().charAt(0) == c) {
                return k;
            }
        }
        return null;
    }

    /** @return what the key sorts by */
    String label() {
        return label;
    }

    /** @return the order of the rows */
    Comparator<CacheRow> order() {
        return order;
    }
}
