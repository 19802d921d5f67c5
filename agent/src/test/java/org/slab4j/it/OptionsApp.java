package org.slab4j.it;

import org.slab4j.SlabConfigurationException;
import org.slab4j.Slabs;
import org.slab4j.it.Fixtures.Point;
import org.slab4j.it.Fixtures.Vector;

/**
 * Makes a {@link Point} and a {@link Vector} and prints, for each, the size of its segment or the message of the
 * configuration error it threw; {@link AgentOptionsIT} runs it with bad allocator options.
 */
public final class OptionsApp {
    private OptionsApp() {}

    public static void main(String[] args) {
        try {
            Point point = new Point();
            System.out.println("Point segment " + point.mem.byteSize());
            Slabs.free(point);
        } catch (SlabConfigurationException e) {
            System.out.println("Point error: " + e.getMessage());
        }
        try {
            Vector vector = new Vector();
            System.out.println("Vector segment " + vector.mem.byteSize());
            Slabs.free(vector);
        } catch (SlabConfigurationException e) {
            System.out.println("Vector error: " + e.getMessage());
        }
    }
}
