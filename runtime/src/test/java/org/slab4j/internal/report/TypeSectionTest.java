package org.slab4j.internal.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.slab4j.Slabs;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;

/** The global allocator's reports carry the {@code @Slab} types and their allocation sites. */
class TypeSectionTest {
    @Slab(name = "section-type", size = 40)
    static final class Sectioned {
        @SlabSegment
        MemorySegment mem;

        Sectioned() {
            mem = Slabs.construct(this, Sectioned.class); // what the agent's rewrite does after super()
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
        assertTrue(
                section.jsonLines().stream()
                        .anyMatch(l -> l.startsWith("{\"type\":\"slabType\"") && l.contains("\"live\":1")),
                section.jsonLines().toString());
        Slabs.free(kept);
    }
}
