package org.slab4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** The report API as a user sees it: names, the report text, the global allocator's MBeans. */
class ReportApiTest {
    @Test
    void reportTextSaysWhatIsInUseAndWhatIsCached() {
        try (SlabAllocator a = SlabAllocator.builder()
                .reapInterval(Duration.ZERO)
                .reportInterval(Duration.ZERO)
                .build()) {
            assertTrue(a.name().matches("allocator-\\d+"), a.name());
            KmemCache c = a.createCache("order", 64, 0, Set.of(SlabFlag.NO_MERGE), null);
            c.free(c.alloc());
            CacheStats st = c.stats();
            String text = a.report();
            assertTrue(text.startsWith("slab4j report of allocator '" + a.name() + "' at "), text);
            assertTrue(text.contains(" Active / Total Objects (% used)    : "), text);
            assertTrue(text.contains(" Active / Total Slabs (% used)      : "), text);
            assertTrue(text.contains(" Active / Total Caches (% used)     : "), text);
            assertTrue(text.contains(" Active / Total Size (% used)       : "), text);
            assertTrue(text.contains(" In use / Cached / Free Objects     : "), text);
            assertTrue(text.contains("  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME\n"), text);
            String row =
                    text.lines().filter(l -> l.endsWith(" order")).findFirst().orElseThrow();
            String[] f = row.trim().split("\\s+");
            assertEquals(st.totalObjects(), Long.parseLong(f[0]), row);
            assertEquals(st.inUseObjects() + st.cachedObjects(), Long.parseLong(f[1]), row);
        }
    }

    @Test
    void aClosedAllocatorHasNoReport() {
        SlabAllocator a = SlabAllocator.builder().name("closed").build();
        a.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, a::report);
        assertTrue(e.getMessage().contains("'closed'"), e.getMessage());
    }

    @Test
    void theGlobalAllocatorHasMBeansWithoutAnAllocatorKey() throws Exception {
        SlabAllocator g = SlabAllocator.global();
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        assertEquals("global", g.name());
        assertTrue(server.isRegistered(new ObjectName("org.slab4j:type=SlabAllocator,name=global")));
        assertTrue(server.isRegistered(new ObjectName("org.slab4j:type=KmemCache,name=kmalloc-32")));
        assertEquals(
                32L, server.getAttribute(new ObjectName("org.slab4j:type=KmemCache,name=kmalloc-32"), "ObjectSize"));
    }
}
