package org.slab4j.internal.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The exit report's check that java.util.logging still delivers: a line counts as published only if a handler got it
 * and was still attached after flushing it (a reset removes a handler before it closes it).
 */
class ReportOutputTest {
    private final Logger parent = Logger.getLogger("slab4j.test.exit");
    private final Logger logger = Logger.getLogger("slab4j.test.exit.child");
    private final List<String> seen = new ArrayList<>();

    @AfterEach
    void clear() {
        for (Logger l : List.of(parent, logger)) {
            for (Handler h : l.getHandlers()) {
                l.removeHandler(h);
            }
            l.setLevel(null);
            l.setUseParentHandlers(true);
        }
    }

    private Handler handler(Runnable onPublish) {
        return new Handler() {
            @Override
            public void publish(LogRecord r) {
                seen.add(r.getMessage());
                onPublish.run();
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
    }

    @Test
    void aLoggerWithAHandlerOnItsWayToTheRootPublishes() {
        parent.addHandler(handler(() -> {}));
        parent.setUseParentHandlers(false);
        assertTrue(ReportOutput.publishedToJul(logger.getName(), Level.INFO, "report"));
        assertEquals(List.of("report"), seen);
    }

    @Test
    void noHandlerAnywhereIsNotPublished() {
        logger.setUseParentHandlers(false); // as after LogManager.reset(): nothing attached
        assertFalse(ReportOutput.publishedToJul(logger.getName(), Level.INFO, "report"));
    }

    @Test
    void aHandlerRemovedWhileTheLineWasOnItsWayMayHaveBeenClosed() {
        Handler[] self = new Handler[1];
        self[0] = handler(() -> parent.removeHandler(self[0])); // a reset racing the exit report
        parent.addHandler(self[0]);
        parent.setUseParentHandlers(false);
        assertFalse(ReportOutput.publishedToJul(logger.getName(), Level.INFO, "report"));
    }

    @Test
    void aLoggerTurnedOffIsRespected() {
        logger.setLevel(Level.OFF);
        logger.setUseParentHandlers(false);
        assertTrue(ReportOutput.publishedToJul(logger.getName(), Level.INFO, "report"), "nothing to print");
        assertEquals(List.of(), seen);
    }
}
