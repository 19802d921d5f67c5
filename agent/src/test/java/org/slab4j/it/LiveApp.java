package org.slab4j.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slab4j.KmemCache;
import org.slab4j.SlabAllocator;
import org.slab4j.SlabFlag;
import org.slab4j.it.Fixtures.Counted;
import org.slab4j.it.Fixtures.Point;

/**
 * A JVM to watch: allocates {@code @Slab} objects (kept live), says {@code ready}, then waits until its standard input
 * ends; {@link SlabtopIT} runs it.
 *
 * <p>Arguments: how many {@link Point}s to allocate (also a tenth as many {@link Counted}s); then, with the agent,
 * {@code second} to also hold 10 objects of cache {@code second-cache} of a second allocator, {@code live-second}, with
 * MBeans, and 10 of cache {@link #WIDE} of the global allocator.
 */
public final class LiveApp {
    /** A cache name of wide characters (each two columns on a terminal): 84 columns. */
    static final String WIDE = "漢字キャッシュ".repeat(6);

    private LiveApp() {}

    /** The second allocator, in a class of its own: without the agent the runtime is not there to load. */
    private static final class Second {
        static void hold(List<Object> kept) {
            SlabAllocator second =
                    SlabAllocator.builder().name("live-second").jmx(true).build();
            KmemCache cache = second.createCache("second-cache", 100);
            for (int i = 0; i < 10; i++) {
                kept.add(cache.alloc());
            }
            KmemCache wide = SlabAllocator.global().createCache(WIDE, 200, 0, Set.of(SlabFlag.NO_MERGE), null);
            for (int i = 0; i < 10; i++) {
                kept.add(wide.alloc());
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        List<Object> kept = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            kept.add(new Point());
            if (i % 10 == 0) {
                kept.add(new Counted());
            }
        }
        if (args.length > 1 && args[1].equals("second")) {
            Second.hold(kept);
        }
        System.out.println("ready " + kept.size());
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the test to close our input
        }
    }
}
