package org.slab4j.it;

import java.util.ArrayList;
import java.util.List;
import org.slab4j.it.Fixtures.Counted;
import org.slab4j.it.Fixtures.Point;

/**
 * A JVM to watch: allocates {@code @Slab} objects (kept live), says {@code ready}, then waits until its standard input
 * ends; {@link SlabtopIT} runs it.
 *
 * <p>Arguments: how many {@link Point}s to allocate (also a tenth as many {@link Counted}s).
 */
public final class LiveApp {
    private LiveApp() {}

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        List<Object> kept = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            kept.add(new Point());
            if (i % 10 == 0) {
                kept.add(new Counted());
            }
        }
        System.out.println("ready " + kept.size());
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the test to close our input
        }
    }
}
