package org.slab4j.internal.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slab4j.CacheStats;
import org.slab4j.KmemCache;
import org.slab4j.SlabAllocator;
import org.slab4j.SlabFlag;

/** The allocator's and caches' MBeans: names, attributes, the tune and shrink operations, and their lifecycle. */
class SlabMBeansTest {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();
    private static final ObjectName ALLOCATOR = name("org.slab4j:type=SlabAllocator,name=jmx-test");

    private final SlabAllocator a = SlabAllocator.builder()
            .name("jmx-test")
            .nodes(1)
            .cpus(2)
            .reapInterval(Duration.ZERO)
            .reportInterval(Duration.ZERO)
            .jmx(true)
            .build();
    private final KmemCache order = a.createCache("order", 64, 0, Set.of(SlabFlag.NO_MERGE), null);

    @BeforeEach
    void refresh() throws Exception {
        // Cache beans follow the caches at every report, every read of the allocator's bean, and every second.
        SERVER.getAttribute(ALLOCATOR, "Caches");
    }

    @AfterEach
    void close() {
        a.close();
    }

    private static ObjectName name(String s) {
        try {
            return new ObjectName(s);
        } catch (javax.management.MalformedObjectNameException e) {
            throw new AssertionError(e);
        }
    }

    private static ObjectName cache(String name) {
        return SlabMBeans.cacheName("jmx-test", name);
    }

    @Test
    void namesFollowTheKernelsCachesAndCarryTheAllocator() throws Exception {
        assertEquals(new ObjectName("org.slab4j:type=KmemCache,allocator=jmx-test,name=order"), cache("order"));
        assertEquals(
                new ObjectName("org.slab4j:type=KmemCache,allocator=global,name=kmalloc-32"),
                SlabMBeans.cacheName("global", "kmalloc-32"));
        assertEquals(
                new ObjectName("org.slab4j:type=KmemCache,allocator=\"a,b\",name=\"x=\\\"y\\\"\""),
                SlabMBeans.cacheName("a,b", "x=\"y\""));
        assertTrue(SERVER.isRegistered(ALLOCATOR));
        Set<ObjectName> caches =
                SERVER.queryNames(new ObjectName("org.slab4j:type=KmemCache,allocator=jmx-test,*"), null);
        assertEquals(a.caches().size(), caches.size(), caches.toString());
        assertTrue(caches.contains(cache("kmalloc-4M")));
    }

    @Test
    void attributesAreTheCachesNumbers() throws Exception {
        List<MemorySegment> objs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            objs.add(order.alloc());
        }
        CacheStats st = order.stats();
        ObjectName n = cache("order");
        assertEquals("order", SERVER.getAttribute(n, "Name"));
        assertEquals(st.totalObjects(), SERVER.getAttribute(n, "NumObjs"));
        assertEquals(st.inUseObjects(), SERVER.getAttribute(n, "InUseObjs"));
        assertEquals(st.cachedObjects(), SERVER.getAttribute(n, "CachedObjs"));
        assertEquals(st.freeObjects(), SERVER.getAttribute(n, "FreeObjs"));
        assertEquals(st.slabs(), SERVER.getAttribute(n, "NumSlabs"));
        assertEquals(st.slabBytes(), SERVER.getAttribute(n, "SlabBytes"));
        assertEquals(64L, SERVER.getAttribute(n, "ObjectSize"));
        assertEquals(120, SERVER.getAttribute(n, "Limit"));
        assertEquals(st.slabs(), SERVER.getAttribute(n, "Grown"));
        assertTrue((Long) SERVER.getAttribute(n, "AllocHit") > 0);

        assertEquals("jmx-test", SERVER.getAttribute(ALLOCATOR, "Name"));
        assertEquals(a.mappedBytes(), SERVER.getAttribute(ALLOCATOR, "MappedBytes"));
        assertEquals(a.caches().size(), SERVER.getAttribute(ALLOCATOR, "Caches"));
        String slabinfo = (String) SERVER.invoke(ALLOCATOR, "slabinfo", null, null);
        assertTrue(slabinfo.startsWith("slabinfo - version: 2.1\n"), slabinfo);
        for (MemorySegment o : objs) {
            order.free(o);
        }
    }

    @Test
    void aMergedCacheListsItsAliasesAndAliasesHaveNoBean() throws Exception {
        a.createCache("base", 200);
        KmemCache alias = a.createCache("alias", 200);
        assertTrue(alias.isAlias());
        SERVER.getAttribute(ALLOCATOR, "Caches");
        // An MXBean's List<String> is a String[] over JMX.
        assertArrayEquals(new String[] {"alias"}, (String[]) SERVER.getAttribute(cache("base"), "Aliases"));
        assertFalse(SERVER.isRegistered(cache("alias")));
        alias.destroy();
        assertArrayEquals(new String[0], (String[]) SERVER.getAttribute(cache("base"), "Aliases"));
    }

    @Test
    void aCacheWhoseOwnNameIsDestroyedKeepsABeanUnderTheAliasNamingItsRow() throws Exception {
        KmemCache base = a.createCache("base", 200);
        KmemCache alias = a.createCache("alias", 200);
        MemorySegment held = alias.alloc();
        base.destroy(); // the cache lives on: its slabinfo row now goes by the alias
        SERVER.getAttribute(ALLOCATOR, "Caches");
        assertTrue(a.slabinfo().lines().anyMatch(l -> l.startsWith("alias ")), a.slabinfo());
        assertFalse(SERVER.isRegistered(cache("base")));
        assertTrue(SERVER.isRegistered(cache("alias")), "every slabinfo row has its bean");
        assertEquals(1L, SERVER.getAttribute(cache("alias"), "InUseObjs"));
        assertArrayEquals(new String[0], (String[]) SERVER.getAttribute(cache("alias"), "Aliases"));
        SERVER.invoke(cache("alias"), "tune", new Object[] {30, 10, 0}, new String[] {"int", "int", "int"});
        assertEquals(30, SERVER.getAttribute(cache("alias"), "Limit"));
        alias.free(held);
    }

    @Test
    void tuneChangesTheTunablesAndRefusesBadValues() throws Exception {
        ObjectName n = cache("order");
        String[] sig = {"int", "int", "int"};
        SERVER.invoke(n, "tune", new Object[] {60, 30, 4}, sig);
        assertEquals(60, SERVER.getAttribute(n, "Limit"));
        assertEquals(30, SERVER.getAttribute(n, "Batchcount"));
        assertEquals(4, SERVER.getAttribute(n, "SharedFactor"));
        assertTrue(a.slabinfo().lines().anyMatch(l -> l.startsWith("order ") && l.contains("tunables   60   30    4")));

        RuntimeMBeanException e = assertThrows(
                RuntimeMBeanException.class, () -> SERVER.invoke(n, "tune", new Object[] {10, 20, 0}, sig));
        IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertTrue(cause.getMessage().contains("'order'"), cause.getMessage());
        assertEquals(60, SERVER.getAttribute(n, "Limit"));
    }

    @Test
    void operationsNameAndDescribeTheirParameters() throws Exception {
        MBeanOperationInfo tune = Arrays.stream(
                        SERVER.getMBeanInfo(cache("order")).getOperations())
                .filter(o -> o.getName().equals("tune"))
                .findFirst()
                .orElseThrow();
        assertEquals(
                List.of("limit", "batchcount", "shared"),
                Arrays.stream(tune.getSignature())
                        .map(MBeanParameterInfo::getName)
                        .toList());
        assertTrue(tune.getSignature()[0].getDescription().contains("1 to 4094"), tune.toString());
        assertTrue(tune.getDescription().contains("/proc/slabinfo"), tune.getDescription());
    }

    @Test
    void reportOverJmxReturnsTheTextWithoutLoggingIt() throws Exception {
        ch.qos.logback.classic.Logger text =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.slab4j.report.text");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        text.addAppender(logged);
        try {
            String report = (String) SERVER.invoke(ALLOCATOR, "report", null, null);
            assertTrue(report.startsWith("slab4j report of allocator 'jmx-test' at "), report);
            assertEquals(List.of(), logged.list, "polling the report does not flood the log");
        } finally {
            text.detachAppender(logged);
        }
    }

    @Test
    void shrinkGivesFreeSlabsBack() throws Exception {
        List<MemorySegment> objs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            objs.add(order.alloc());
        }
        for (MemorySegment o : objs) {
            order.free(o);
        }
        ObjectName n = cache("order");
        assertTrue((Long) SERVER.getAttribute(n, "NumSlabs") > 0);
        SERVER.invoke(n, "shrink", null, null); // on this thread: its array is drained too
        assertEquals(0L, SERVER.getAttribute(n, "NumSlabs"));
        assertEquals(0L, SERVER.getAttribute(n, "ActiveObjs"));
    }

    @Test
    void cacheBeansFollowCreationAndDestruction() throws Exception {
        KmemCache later = a.createCache("later", 100, 0, Set.of(SlabFlag.NO_MERGE), null);
        a.report(); // reports bring the beans in step
        assertTrue(SERVER.isRegistered(cache("later")));
        later.destroy();
        RuntimeMBeanException e =
                assertThrows(RuntimeMBeanException.class, () -> SERVER.getAttribute(cache("later"), "NumObjs"));
        assertTrue(e.getCause().getMessage().contains("'later'"), e.getCause().getMessage());
        SERVER.getAttribute(ALLOCATOR, "Caches");
        assertFalse(SERVER.isRegistered(cache("later")));
    }

    @Test
    void cacheBeansFollowWithinASecondWithoutReports() throws Exception {
        a.createCache("polled", 200, 0, Set.of(SlabFlag.NO_MERGE), null);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!SERVER.isRegistered(cache("polled")) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(SERVER.isRegistered(cache("polled")));
    }

    @Test
    void closeUnregistersEverything() throws Exception {
        a.close();
        assertEquals(Set.of(), SERVER.queryNames(new ObjectName("org.slab4j:allocator=jmx-test,*"), null));
        assertFalse(SERVER.isRegistered(ALLOCATOR));
    }

    @Test
    void aSecondAllocatorOfTheSameNameIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SlabAllocator.builder()
                .name("jmx-test")
                .reapInterval(Duration.ZERO)
                .reportInterval(Duration.ZERO)
                .jmx(true)
                .build());
        assertTrue(e.getMessage().contains("'jmx-test'"), e.getMessage());
        assertTrue(SERVER.isRegistered(cache("order")), "the first allocator keeps its beans");
    }
}
