package org.slab4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
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
            assertTrue(text.contains("slabinfo - version: 2.1\n# name            <active_objs> <num_objs>"), text);
            String row =
                    text.lines().filter(l -> l.startsWith("order ")).findFirst().orElseThrow();
            String[] f = row.trim().split("\\s+");
            assertEquals(st.inUseObjects() + st.cachedObjects(), Long.parseLong(f[1]), row);
            assertEquals(st.totalObjects(), Long.parseLong(f[2]), row);
            assertTrue(text.lines().noneMatch(l -> l.startsWith("kmalloc-4M ")), "empty caches are left out: " + text);
            assertTrue(text.contains(" caches without slabs not shown)\n"), text);
        }
    }

    @Test
    void aClosedAllocatorHasNoReport() {
        SlabAllocator a = SlabAllocator.builder().name("closed").build();
        a.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, a::report);
        assertTrue(e.getMessage().contains("'closed'"), e.getMessage());
    }

    /**
     * An allocator's name heads its report's lines and log lines: a line break or a control character in it would forge
     * a line, and a format character (a right-to-left override, a zero-width space) reorder or hide what follows. Such
     * names are refused, with a name to use instead; spaces are fine, as the name is quoted wherever it appears.
     */
    @Test
    void anAllocatorNameWithALineBreakControlOrFormatCharacterIsRefused() {
        for (String bad :
                List.of("two\nlines", "line\u2028sep", "bell\u0007", "rtl\u202eoverride", "zero\u200bwidth")) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> SlabAllocator.builder().name(bad).build());
            assertTrue(e.getMessage().contains("control or format characters"), e.getMessage());
            String suggested = e.getMessage().replaceAll("(?s).*use for example '(.*)'$", "$1");
            assertTrue(suggested.matches("[a-z_]+"), suggested + " in: " + e.getMessage());
        }
        try (SlabAllocator a = SlabAllocator.builder()
                .name("order book")
                .reportInterval(Duration.ZERO)
                .build()) {
            assertTrue(a.report().startsWith("slab4j report of allocator 'order book' at "), a.report());
        }
    }

    @Test
    void theGlobalAllocatorsMBeansCarryTheSameKeysAsOthers() throws Exception {
        SlabAllocator g = SlabAllocator.global();
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        assertEquals("global", g.name());
        assertTrue(server.isRegistered(new ObjectName("org.slab4j:type=SlabAllocator,name=global")));
        assertTrue(server.isRegistered(new ObjectName("org.slab4j:type=KmemCache,allocator=global,name=kmalloc-32")));
        assertEquals(
                32L,
                server.getAttribute(
                        new ObjectName("org.slab4j:type=KmemCache,allocator=global,name=kmalloc-32"), "ObjectSize"));
    }
}
