package org.slab4j.it;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import org.slab4j.Slabs;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;

/**
 * A {@code @Slab} class under JaCoCo's agent as well as slab4j's: {@link FrameworksIT} runs it with JaCoCo's agent
 * before and after slab4j's, and reads the coverage JaCoCo wrote.
 */
public final class JacocoApp {
    private JacocoApp() {}

    @Slab(name = "covered", size = 16)
    static final class Covered implements AutoCloseable {
        @SlabSegment
        private MemorySegment mem;

        Covered(long value) {
            if (value < 0) {
                throw new IllegalArgumentException("negative");
            }
            mem.set(JAVA_LONG, 0, value);
        }

        long value() {
            return mem.get(JAVA_LONG, 0);
        }

        @Override
        public void close() {}
    }

    public static void main(String[] args) {
        Covered covered = new Covered(6);
        System.out.println(
                "covered " + covered.value() + " " + Slabs.segmentOf(covered).byteSize());
        covered.close();
        try {
            new Covered(-1);
        } catch (IllegalArgumentException e) {
            System.out.println("thrown " + e.getMessage());
        }
        System.out.println("allocations " + Slabs.stats(Covered.class).allocations() + ", frees "
                + Slabs.stats(Covered.class).frees() + ", sites "
                + Slabs.stats(Covered.class).sites().size());
    }
}
