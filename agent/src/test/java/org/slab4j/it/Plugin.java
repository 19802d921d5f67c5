package org.slab4j.it;

import java.lang.foreign.MemorySegment;
import java.util.function.Supplier;
import org.slab4j.Slabs;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;

/** A plug-in's {@code @Slab} class, which {@link ChildFirstRuntimeApp} loads through class loaders of its own. */
@Slab(size = 16, release = Slab.Release.EXPLICIT)
public final class Plugin implements Supplier<String> {
    @SlabSegment
    MemorySegment mem;

    /** Makes one more instance and says what the {@link Slabs} its loader links to says of its segment. */
    @Override
    public String get() {
        Plugin made = new Plugin();
        try {
            return "segment of " + Slabs.segmentOf(made).byteSize() + " bytes";
        } catch (RuntimeException e) {
            return e.toString();
        }
    }
}
