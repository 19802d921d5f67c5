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
 * {@code type=SlabAllocator} for the allocator, {@code type=SlabTypes} for the {@code @Slab} types of the global
 * allocator): what {@code slabtop} shows. A cache destroyed while it is read is left out.
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

    /** One {@code @Slab} type's counters ({@code Slabs.TypeStats}). */
    record TypeRow(
            String type,
            String cache,
            String sharedCache,
            long objectSize,
            boolean tracked,
            long allocations,
            long frees,
            long leaks,
            List<SiteRow> sites) {
        long live() {
            return allocations - frees - leaks;
        }
    }

    /** One allocation site's counters ({@code Slabs.SiteStats}). */
    record SiteRow(String location, long allocations, long frees, long leaks) {}

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
        boolean global = GLOBAL.equals(allocator);
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
            String owner = n.getKeyProperty("allocator");
            if (owner == null ? !global : !unquote(owner).equals(allocator)) {
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
        if (global) {
            List<Object> v = values(c, name("type=SlabTypes"), "Types");
            if (v != null) {
                for (Object t : (Object[]) v.get(0)) {
                    types.add(type((CompositeData) t));
                }
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

    private static TypeRow type(CompositeData t) {
        List<SiteRow> sites = new ArrayList<>();
        for (Object o : (Object[]) t.get("sites")) {
            CompositeData s = (CompositeData) o;
            sites.add(new SiteRow(
                    (String) s.get("location"),
                    number(s.get("allocations")),
                    number(s.get("frees")),
                    number(s.get("leaks"))));
        }
        return new TypeRow(
                (String) t.get("type"),
                (String) t.get("cache"),
                (String) t.get("sharedCache"),
                number(t.get("objectSize")),
                (Boolean) t.get("tracked"),
                number(t.get("allocations")),
                number(t.get("frees")),
                number(t.get("leaks")),
                sites);
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
