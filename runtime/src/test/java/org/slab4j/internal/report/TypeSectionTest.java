package org.slab4j.internal.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.Supplier;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Test;
import org.slab4j.Slabs;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;
import org.slab4j.internal.type.AgentHooks;
import org.slab4j.internal.type.SlabHooks;

/** The global allocator's reports carry the {@code @Slab} types and their allocation sites. */
class TypeSectionTest {
    @Slab(name = "section-type", size = 40)
    static final class Sectioned {
        @SlabSegment
        MemorySegment mem;

        Sectioned() {
            mem = AgentHooks.construct(this, MethodHandles.lookup()); // what the agent's rewrite does after super()
        }
    }

    @Test
    void typesAndSitesAppearInTextAndJson() {
        Sectioned kept = new Sectioned();
        Slabs.free(new Sectioned());
        ReportSection section = TypeSection.source().get();
        String text = section.text();
        assertTrue(text.contains("@Slab types"), text);
        assertTrue(text.contains(Sectioned.class.getName() + " (section-type)"), text);
        assertTrue(text.contains("top allocation sites by live bytes"), text);
        List<String> json = section.jsonLines(type -> new JsonObject().field("type", type));
        assertTrue(
                json.stream().anyMatch(l -> l.startsWith("{\"type\":\"slabType\"") && l.contains("\"live\":1")),
                json.toString());
        assertEquals(text, Slabs.report(), "Slabs.report() prints the section as the reports do");
        Slabs.free(kept);
    }

    @Test
    void everySlabTypeHasAnMBeanOfTheGlobalAllocator() throws Exception {
        Sectioned kept = new Sectioned();
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        server.getAttribute(
                new ObjectName("org.slab4j:type=SlabAllocator,name=global"), "Caches"); // brings beans in step
        ObjectName type = new ObjectName("org.slab4j:type=SlabType,allocator=global,name=section-type");
        assertEquals(Sectioned.class.getName(), server.getAttribute(type, "Type"));
        assertEquals(Slabs.stats(Sectioned.class).live(), server.getAttribute(type, "Live"));
        assertEquals(40L * Slabs.stats(Sectioned.class).live(), server.getAttribute(type, "LiveBytes"));
        CompositeData[] sites = (CompositeData[]) server.getAttribute(type, "TopSites");
        assertTrue(sites.length >= 1, "at least the unattributed site");
        assertTrue(sites[0].containsKey("location") && sites[0].containsKey("liveBytes"), sites[0].toString());
        Slabs.free(kept);
    }

    @Test
    void aSectionOfTenThousandSitesIsCheapToRead() {
        for (int i = 0; i < 10_000; i++) {
            SlabHooks.enterSite(SlabHooks.registerSite(null, Sectioned.class.getName(), "Generated.site" + i + ":1"));
            Slabs.free(new Sectioned());
        }
        Supplier<ReportSection> source = TypeSection.source();
        long best = Long.MAX_VALUE;
        ReportSection section = null;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            section = source.get();
            section.text();
            best = Math.min(best, System.nanoTime() - t0);
        }
        assertTrue(section.text().contains("more sites not shown"), section.text());
        System.out.printf("@Slab section of 10,000 sites: %.1f ms (best of 5)%n", best / 1e6);
    }
}
