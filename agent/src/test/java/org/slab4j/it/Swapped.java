package org.slab4j.it;

import java.lang.foreign.MemorySegment;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;

/** A {@code @Slab} class that {@link HotSwapApp} redefines with the edited copies {@link FrameworksIT} compiles. */
@Slab(name = "swapped", size = 16, release = Slab.Release.TRACKED)
public class Swapped {
    @SlabSegment
    MemorySegment mem;

    long value() {
        return 1;
    }
}
