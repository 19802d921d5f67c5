package org.slab4j.agent.live;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

/**
 * One reading of an allocator through its MBeans ({@code org.slab4j:type=KmemCache} per cache,
 * {@code type=SlabAllocator} for the allocator, {@code type=SlabType} per {@code @Slab} type of the global allocator):
 * what {@code slabtop} shows. A cache destroyed while it is read is left out.
 *
 * @param allocator the allocator's name
 * @param caches one row per live cache, in no particular order
 * @param mappedBytes native memory the allocator has mapped
 * @param memoryLimit its limit ({@link Long#MAX_VALUE}: none)
 * @param types the {@code @Slab} types (empty for an allocator other than the global one)
 */
record Snapshot(String allocator, List<CacheRow> caches, long mappedBytes, long memoryLimit, List<TypeRow> types) {
    static final String GLOBAL = "global";

    /** One cache's slabinfo numbers; sizes in bytes. */
    record CacheRow(
            String name,
            long objsize,
            long objPerSlab,
            long pagesPerSlab,
            long numObjs,
            long activeObjs,
            long inUseObjs,
            long cachedObjs,
            long freeObjs,
            long numSlabs,
            long activeSlabs,
            long slabBytes) {
        /** @return active objects in percent of all objects (slabtop's USE) */
        int use() {
            return numObjs == 0 ? 0 : (int) (100 * activeObjs / numObjs);
        }
    }

    /** One {@code @Slab} type's counters and its top allocation sites (a {@code SlabTypeMXBean}). */
    record TypeRow(
            String type,
            String cache,
            String sharedCache,
            long allocations,
            long frees,
            long leaks,
            long live,
            long liveBytes,
            long objectSize,
            List<SiteRow> sites) {}

    /**
     * One allocation site's counters; {@code frees} and {@code liveBytes} are null where not known (every type but
     * {@code TRACKED} ones).
     */
    record SiteRow(String location, long allocations, Long frees, long leaks, Long liveBytes) {}

    private static final String[] CACHE_ATTRIBUTES = {
        "Name",
        "Objsize",
        "ObjPerSlab",
        "PagesPerSlab",
        "NumObjs",
        "ActiveObjs",
        "InUseObjs",
        "CachedObjs",
        "FreeObjs",
        "NumSlabs",
        "ActiveSlabs",
        "SlabBytes"
    };

    /**
     * Reads allocator {@code allocator} of {@code target}.
     *
     * @return the reading, or null when the allocator has no MBeans (see {@link #missing})
     * @throws IOException when the connection fails (the JVM exited)
     */
    static Snapshot read(Target target, String allocator) throws IOException {
        MBeanServerConnection c = target.mbeans();
        List<Object> totals = null;
        for (ObjectName n : c.queryNames(name("type=SlabAllocator,*"), null)) {
            if (unquote(n.getKeyProperty("name")).equals(allocator)) {
                totals = values(c, n, "MappedBytes", "MemoryLimit");
            }
        }
        if (totals == null) {
            return null;
        }
        List<CacheRow> caches = new ArrayList<>();
        for (ObjectName n : c.queryNames(name("type=KmemCache,*"), null)) {
            if (!ours(n, allocator)) {
                continue;
            }
            List<Object> v = values(c, n, CACHE_ATTRIBUTES);
            if (v != null) {
                caches.add(new CacheRow(
                        (String) v.get(0),
                        number(v.get(1)),
                        number(v.get(2)),
                        number(v.get(3)),
                        number(v.get(4)),
                        number(v.get(5)),
                        number(v.get(6)),
                        number(v.get(7)),
                        number(v.get(8)),
                        number(v.get(9)),
                        number(v.get(10)),
                        number(v.get(11))));
            }
        }
        List<TypeRow> types = new ArrayList<>();
        for (ObjectName n : c.queryNames(name("type=SlabType,*"), null)) {
            List<Object> v = ours(n, allocator) ? values(c, n, TYPE_ATTRIBUTES) : null;
            if (v != null) {
                types.add(type(v));
            }
        }
        return new Snapshot(allocator, caches, number(totals.get(0)), number(totals.get(1)), types);
    }

    /** @return why allocator {@code allocator} of {@code target} has no MBeans, and what to do */
    static String missing(Target target, String allocator) throws IOException {
        return "pid " + target.pid() + " has no MBeans of allocator '" + allocator + "'"
                + (GLOBAL.equals(allocator)
                        ? " yet: it has not used a @Slab class or the global allocator (or runs with"
                                + " -Dslab4j.jmx=false)"
                        : ": build it with jmx(true), or name one of "
                                + target.mbeans().queryNames(name("type=SlabAllocator,*"), null));
    }

    private static TypeRow type(List<Object> v) {
        List<SiteRow> sites = new ArrayList<>();
        for (Object o : (Object[]) v.get(9)) {
            CompositeData s = (CompositeData) o;
            sites.add(new SiteRow(
                    (String) s.get("location"),
                    number(s.get("allocations")),
                    (Long) s.get("frees"),
                    number(s.get("leaks")),
                    (Long) s.get("liveBytes")));
        }
        return new TypeRow(
                (String) v.get(0),
                (String) v.get(1),
                (String) v.get(2),
                number(v.get(3)),
                number(v.get(4)),
                number(v.get(5)),
                number(v.get(6)),
                number(v.get(7)),
                number(v.get(8)),
                sites);
    }

    /** @return whether bean {@code n} belongs to allocator {@code allocator} */
    private static boolean ours(ObjectName n, String allocator) {
        String owner = n.getKeyProperty("allocator");
        return owner != null && unquote(owner).equals(allocator);
    }

    /** @return the attributes' values in order, or null when the bean is gone or one attribute could not be read */
    private static List<Object> values(MBeanServerConnection c, ObjectName n, String... attributes) throws IOException {
        AttributeList list;
        try {
            list = c.getAttributes(n, attributes);
        } catch (InstanceNotFoundException e) {
            return null;
        } catch (JMException e) {
            throw new IOException("cannot read " + n + ": " + e, e);
        }
        if (list.size() != attributes.length) {
            return null; // a cache destroyed while it was read: its attributes throw
        }
        List<Object> values = new ArrayList<>(attributes.length);
        for (Attribute a : list.asList()) {
            values.add(a.getValue());
        }
        return values;
    }

    private static final String[] TYPE_ATTRIBUTES = {
        "Type", "Cache", "SharedCache", "Allocations", "Frees", "Leaks", "Live", "LiveBytes", "ObjectSize", "TopSites"
    };

    private static long number(Object value) {
        return ((Number) value).longValue();
    }

    private static String unquote(String value) {
        return value.startsWith("\"") ? ObjectName.unquote(value) : value;
    }

    private static ObjectName name(String keys) {
        try {
            return new ObjectName("org.slab4j:" + keys);
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalArgumentException("not a valid MBean name: org.slab4j:" + keys, e);
        }
    }
}
