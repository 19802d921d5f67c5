package org.slab4j.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.slab4j.SlabAllocator;
import org.slab4j.Slabs;

/**
 * Runs with the packaged agent, in an application with no SLF4J binding of its own: the reports still appear (through
 * java.util.logging), with one line saying how to route them, and they carry the {@code @Slab} types.
 */
class ReportsIT {
    @Test
    void reportsAppearThroughJavaUtilLoggingWithTheRoutingHint() {
        Logger log = Logger.getLogger("org.slab4j.report.text");
        List<String> seen = new CopyOnWriteArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                seen.add(String.valueOf(r.getParameters() == null ? r.getMessage() : r.getParameters()[0]));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        log.addHandler(h);
        try {
            Slabs.free(new Order(7));
            String text = SlabAllocator.global().report();
            assertTrue(text.contains("Active / Total Objects"), text);
            assertTrue(text.contains("@Slab types") && text.contains(Order.class.getName()), text);
            assertTrue(seen.stream().anyMatch(s -> s.contains("jul-to-slf4j")), seen.toString());
            assertTrue(seen.stream().anyMatch(s -> s.contains("Active / Total Objects")), seen.toString());
        } finally {
            log.removeHandler(h);
        }
    }
}
