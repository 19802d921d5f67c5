package org.slab4j.internal.report;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.slab4j.internal.slab.CacheHandle;
import org.slab4j.internal.slab.SlabSystem;
import org.slab4j.internal.type.SlabType;
import org.slab4j.internal.type.SlabTypes;

/**
 * The MBeans of one allocator in the platform MBean server: its {@link SlabAllocatorMXBean}, one {@link KmemCacheMXBean}
 * per slabinfo row (aliases have none, but for the alias a row goes by once its cache's own name is destroyed) and,
 * for the global allocator, one {@link SlabTypeMXBean} per {@code @Slab} type. Every allocator's beans carry the same
 * keys: {@code type}, {@code allocator} (but for the allocator's own bean) and {@code name}. {@link #sync()} brings the
 * beans in step with the caches and types (a type's bean goes once its class is unloaded, as its cache does);
 * {@link #unregisterAll()} removes every bean, for good. Guards: this object's monitor, over the maps and {@code closed}.
 */
final class SlabMBeans {
    static final String DOMAIN = "org.slab4j";

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final String allocator;
    private final boolean global;
    private final SlabSystem sys;
    private final ObjectName self;
    private final Map<CacheHandle, ObjectName> caches = new HashMap<>();
    private final Map<String, ObjectName> types = new HashMap<>();
    private boolean closed;

    private SlabMBeans(String allocator, boolean global, SlabSystem sys) {
        this.allocator = allocator;
        this.global = global;
        this.sys = sys;
        this.self = name("type=SlabAllocator,name=" + value(allocator));
    }

    /**
     * Registers the allocator's bean and its caches' beans.
     *
     * @throws IllegalStateException naming the allocator when a bean of that name is already registered
     */
    static SlabMBeans register(Reporter reporter, boolean global, SlabSystem sys) {
        SlabMBeans beans = new SlabMBeans(reporter.allocator(), global, sys);
        beans.register(beans.self, new DescribedMBean<>(new AllocatorBean(reporter), SlabAllocatorMXBean.class));
        try {
            beans.sync();
        } catch (RuntimeException e) {
            beans.unregisterAll();
            throw e;
        }
        return beans;
    }

    /** @return the name of the bean of cache {@code cache} of allocator {@code allocator} */
    static ObjectName cacheName(String allocator, String cache) {
        return name("type=KmemCache,allocator=" + value(allocator) + ",name=" + value(cache));
    }

    /** @return the name of the bean of the {@code @Slab} type whose cache handle is {@code cache} */
    static ObjectName typeName(String allocator, String cache) {
        return name("type=SlabType,allocator=" + value(allocator) + ",name=" + value(cache));
    }

    /** Registers beans for new caches and unregisters those of destroyed ones. */
    synchronized void sync() {
        if (closed) {
            return; // a refresh that was already running when the allocator closed
        }
        Set<CacheHandle> live = new HashSet<>();
        for (CacheHandle h : sys.handles()) {
            if (h.namesRow()) {
                live.add(h);
            }
        }
        syncBeans(
                caches,
                live,
                h -> cacheName(allocator, h.name()),
                h -> new DescribedMBean<>(new CacheBean(sys, h), KmemCacheMXBean.class));
        if (global) { // names only: no counters read every second
            Set<String> liveTypes = new LinkedHashSet<>();
            for (SlabType t : SlabTypes.all()) {
                liveTypes.add(t.cacheName());
            }
            // A type goes with its class (a redeploy's loader collected): its bean, found by name, would only throw.
            syncBeans(
                    types,
                    liveTypes,
                    cache -> typeName(allocator, cache),
                    cache -> new DescribedMBean<>(new TypeBean(cache), SlabTypeMXBean.class));
        }
    }

    /** Unregisters the beans of keys no longer {@code live} and registers one for each live key without one. */
    private <K> void syncBeans(
            Map<K, ObjectName> beans, Set<K> live, Function<K, ObjectName> nameOf, Function<K, Object> beanOf) {
        for (Iterator<Map.Entry<K, ObjectName>> it = beans.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<K, ObjectName> e = it.next();
            if (!live.contains(e.getKey())) {
                unregister(e.getValue());
                it.remove();
            }
        }
        for (K key : live) {
            if (!beans.containsKey(key)) {
                ObjectName n = nameOf.apply(key);
                register(n, beanOf.apply(key));
                beans.put(key, n);
            }
        }
    }

    /** Unregisters every bean of the allocator. */
    synchronized void unregisterAll() {
        closed = true;
        for (ObjectName n : caches.values()) {
            unregister(n);
        }
        caches.clear();
        for (ObjectName n : types.values()) {
            unregister(n);
        }
        types.clear();
        unregister(self);
    }

    private void register(ObjectName n, Object bean) {
        try {
            server.registerMBean(bean, n);
        } catch (JMException e) {
            throw new IllegalStateException(
                    "allocator '" + allocator + "': cannot register MBean " + n
                            + " (give every allocator built with jmx(true) its own name)",
                    e);
        }
    }

    private void unregister(ObjectName n) {
        try {
            if (server.isRegistered(n)) {
                server.unregisterMBean(n);
            }
        } catch (JMException e) {
            throw new IllegalStateException("allocator '" + allocator + "': cannot unregister MBean " + n, e);
        }
    }

    /** @return {@code s} as an ObjectName value: quoted when it has a character that a plain value cannot hold */
    private static String value(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (",=:\"*?\n".indexOf(s.charAt(i)) >= 0) {
                return ObjectName.quote(s);
            }
        }
        return s;
    }

    private static ObjectName name(String keys) {
        try {
            return new ObjectName(DOMAIN + ":" + keys);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("not a valid MBean name: " + DOMAIN + ":" + keys, e);
        }
    }
}
