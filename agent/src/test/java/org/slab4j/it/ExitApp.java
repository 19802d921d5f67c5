package org.slab4j.it;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.LogManager;
import org.slab4j.Slabs;
import org.slab4j.it.Fixtures.Laid;

/**
 * A short application for {@link ExitReportIT}: makes five {@link Order}s and frees two, keeps two, loses one, makes an
 * {@code EXPLICIT} {@link Laid}, then ends as its argument says: {@code return} from main, {@code exit} by
 * {@code System.exit}, {@code reset} java.util.logging first, {@code hook}: reset it in a shutdown hook of its own,
 * {@code leak}: wait until the lost order is reclaimed as a leak, then return; {@code bridge}: route java.util.logging
 * to a stand-in of jul-to-slf4j's bridge first.
 */
public final class ExitApp {
    private ExitApp() {}

    public static void main(String[] args) throws InterruptedException {
        String how = args.length > 0 ? args[0] : "return";
        if (how.equals("bridge")) { // as SLF4JBridgeHandler.removeHandlersForRootLogger() and install() do
            java.util.logging.Logger root = LogManager.getLogManager().getLogger("");
            for (java.util.logging.Handler h : root.getHandlers()) {
                root.removeHandler(h);
            }
            root.addHandler(new SLF4JBridgeHandler());
        }
        List<Object> kept = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Order order = new Order(i);
            if (i < 2) {
                Slabs.free(order);
            } else if (i < 4) {
                kept.add(order);
            }
        }
        kept.add(new Laid());
        for (int i = 0;
                i < 500 && how.equals("leak") && Slabs.stats(Order.class).leaks() == 0;
                i++) {
            System.gc();
            Thread.sleep(10);
        }
        System.out.println("app done, keeping " + kept.size());
        switch (how) {
            case "exit" -> System.exit(0);
            case "reset" -> LogManager.getLogManager().reset();
            case "hook" ->
                Runtime.getRuntime().addShutdownHook(new Thread(() -> LogManager.getLogManager()
                        .reset()));
            default -> {}
        }
    }
}
