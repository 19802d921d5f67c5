package org.slab4j.internal.report;

import java.util.ArrayList;
import java.util.List;
import org.slab4j.Slabs;
import org.slab4j.Slabs.TypeStats;

/** The {@link SlabTypeMXBean} of one {@code @Slab} type, found by its cache handle's name at every read. */
final class TypeBean implements SlabTypeMXBean {
    private final String cache;

    TypeBean(String cache) {
        this.cache = cache;
    }

    private TypeStats stats() {
        for (TypeStats t : Slabs.allStats()) {
            if (t.cache().equals(cache)) {
                return t;
            }
        }
        throw new IllegalStateException("no @Slab type has cache '" + cache + "'");
    }

    @Override
    public String getType() {
        return stats().type();
    }

    @Override
    public String getCache() {
        return cache;
    }

    @Override
    public String getSharedCache() {
        return stats().sharedCache();
    }

    @Override
    public long getObjectSize() {
        return stats().objectSize();
    }

    @Override
    public boolean isTracked() {
        return stats().tracked();
    }

    @Override
    public long getAllocations() {
        return stats().allocations();
    }

    @Override
    public long getFrees() {
        return stats().frees();
    }

    @Override
    public long getLeaks() {
        return stats().leaks();
    }

    @Override
    public long getLive() {
        return stats().live();
    }

    @Override
    public long getLiveBytes() {
        TypeStats t = stats();
        return t.live() * t.objectSize();
    }

    @Override
    public List<Site> getTopSites() {
        List<Site> out = new ArrayList<>();
        for (TypeSection.SiteLine l :
                TypeSection.topSites(List.of(stats()), TypeSection.TOP_SITES, new ArrayList<>())) {
            out.add(new Site(
                    l.site().location(),
                    l.site().allocations(),
                    l.frees(),
                    l.site().leaks(),
                    l.liveBytes()));
        }
        return out;
    }
}
