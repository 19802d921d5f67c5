package org.slab4j.it;

import java.util.ArrayList;
import java.util.List;
import org.slab4j.SlabAllocator;
import org.slab4j.Slabs;
import org.slab4j.it.Fixtures.Counted;
import org.slab4j.it.Fixtures.Lost;
import org.slab4j.it.Fixtures.Point;

/**
 * A run whose reports make a page: three reports (logged as JSON lines with the agent's {@code reportJson=true}) while
 * {@link Point}s grow to 3000, then half of them are freed and a few {@link Lost}s leak; {@link HtmlReportIT} runs it.
 */
public final class HtmlApp {
    private HtmlApp() {}

    public static void main(String[] args) throws InterruptedException {
        List<Object> kept = new ArrayList<>();
        for (int phase = 1; phase <= 2; phase++) {
            for (int i = 0; i < 1500; i++) {
                kept.add(new Point());
                if (i % 100 == 0) {
                    kept.add(new Counted());
                }
            }
            SlabAllocator.global().report();
        }
        for (int i = 0; i < kept.size(); i += 2) {
            Slabs.free(kept.get(i));
        }
        for (int i = 0; i < 3; i++) {
            new Lost(); // dropped without a free: a leak once collected
        }
        for (int i = 0; i < 500 && Slabs.stats(Lost.class).leaks() == 0; i++) {
            System.gc();
            Thread.sleep(10);
        }
        SlabAllocator.global().report();
        System.out.println("reported");
    }
}
