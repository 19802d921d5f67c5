package org.slab4j.internal.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.read.ListAppender;
import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slab4j.KmemCache;
import org.slab4j.SlabAllocator;
import org.slf4j.LoggerFactory;

/**
 * Reports are logged on demand, periodically and (registered) at exit, and stop when the allocator closes; JSON lines
 * only when asked for, on a logger that is the text logger's sibling.
 */
class PeriodicReportTest {
    private final ListAppender<ILoggingEvent> text = new ListAppender<>();
    private final ListAppender<ILoggingEvent> json = new ListAppender<>();
    private final Logger textLogger = (Logger) LoggerFactory.getLogger("org.slab4j.report.text");
    private final Logger jsonLogger = (Logger) LoggerFactory.getLogger("org.slab4j.report.json");

    @BeforeEach
    void attach() {
        text.start();
        json.start();
        textLogger.addAppender(text);
        jsonLogger.addAppender(json);
        // Keep the console quiet: the appenders above still see INFO.
        textLogger.setAdditive(false);
        jsonLogger.setAdditive(false);
        textLogger.setLevel(Level.INFO);
    }

    @AfterEach
    void detach() {
        textLogger.detachAppender(text);
        jsonLogger.detachAppender(json);
        textLogger.setAdditive(true);
        jsonLogger.setAdditive(true);
        textLogger.setLevel(null);
    }

    private List<ILoggingEvent> reportEventsOf(String allocator) {
        synchronized (text) { // AppenderBase appends under the appender's lock
            return text.list.stream()
                    .filter(e -> e.getFormattedMessage().startsWith("slab4j report of allocator '" + allocator + "'"))
                    .toList();
        }
    }

    private long reportsOf(String allocator) {
        return reportEventsOf(allocator).size();
    }

    private List<String> jsonOf(String allocator) {
        synchronized (json) {
            return json.list.stream()
                    .map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains("\"allocator\":\"" + allocator + "\""))
                    .toList();
        }
    }

    private static boolean inShutdownReport(String allocator) {
        return ShutdownReport.live().stream().anyMatch(r -> r.allocator().equals(allocator));
    }

    @Test
    void reportReturnsAndLogsTheTextAndJsonLines() {
        try (SlabAllocator a = SlabAllocator.builder()
                .name("on-demand")
                .reapInterval(Duration.ZERO)
                .reportInterval(Duration.ZERO)
                .reportAtExit(false)
                .reportJson(true)
                .build()) {
            String report = a.report();
            assertEquals("on-demand", a.name());
            assertEquals(1, reportsOf("on-demand"));
            ILoggingEvent logged = reportEventsOf("on-demand").getFirst();
            assertEquals(report, logged.getFormattedMessage());
            assertEquals(Level.INFO, logged.getLevel());
            List<String> lines = jsonOf("on-demand");
            assertEquals(
                    1 + a.caches().stream().filter(c -> c.stats().slabs() > 0).count(),
                    lines.size(),
                    "the summary and the caches that hold slabs");
            for (String line : lines) {
                Json.parseObject(line);
            }
            assertFalse(inShutdownReport("on-demand"), "reportAtExit(false): no exit report");
        }
    }

    @Test
    void jsonIsOffUnlessAskedForAndTheLoggersAreSiblings() {
        assertFalse(jsonLogger.getName().startsWith(textLogger.getName() + "."), jsonLogger.getName());
        try (SlabAllocator a = SlabAllocator.builder()
                .name("text-only")
                .reapInterval(Duration.ZERO)
                .reportInterval(Duration.ZERO)
                .build()) {
            a.report();
            assertEquals(1, reportsOf("text-only"));
            assertEquals(List.of(), jsonOf("text-only"));
            assertTrue(inShutdownReport("text-only"), "reportAtExit is on by default");
        }
    }

    @Test
    void periodicReportsRunUntilClose() throws InterruptedException {
        SlabAllocator a = SlabAllocator.builder()
                .name("periodic")
                .reapInterval(Duration.ZERO)
                .reportInterval(Duration.ofMillis(50))
                .reportJson(true)
                .build();
        try {
            assertTrue(inShutdownReport("periodic"));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (reportsOf("periodic") < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(reportsOf("periodic") >= 2, "two periodic reports within 10 s");
            assertFalse(jsonOf("periodic").isEmpty());
        } finally {
            a.close();
        }
        assertFalse(inShutdownReport("periodic"), "a closed allocator has no shutdown report");
        Thread.sleep(100); // a report running at close may still finish
        long after = reportsOf("periodic");
        Thread.sleep(200);
        assertEquals(after, reportsOf("periodic"), "no report after close");
    }

    /**
     * A logging backend that throws an {@code Error} once (a class its appender needs is missing, memory ran short) does
     * not end the periodic reports: a scheduled task that throws is never run again, so the task catches it.
     */
    @Test
    void anErrorFromTheLoggingBackendDoesNotEndThePeriodicReports() throws InterruptedException {
        AppenderBase<ILoggingEvent> failing = new AppenderBase<>() {
            private boolean thrown;

            @Override
            protected void append(ILoggingEvent event) {
                if (!thrown && event.getFormattedMessage().startsWith("slab4j report of allocator 'failing-backend'")) {
                    thrown = true;
                    throw new NoClassDefFoundError("an appender's class");
                }
            }
        };
        failing.start();
        textLogger.addAppender(failing);
        try (SlabAllocator a = SlabAllocator.builder()
                .name("failing-backend")
                .reapInterval(Duration.ZERO)
                .reportInterval(Duration.ofMillis(50))
                .build()) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (reportsOf(a.name()) < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(reportsOf(a.name()) >= 3, "reports after the failing one within 10 s");
        } finally {
            textLogger.detachAppender(failing);
        }
    }

    @Test
    void theShutdownReportCoversOpenAllocatorsOnly() {
        SlabAllocator closed = SlabAllocator.builder()
                .name("closed-at-exit")
                .reapInterval(Duration.ZERO)
                .reportInterval(Duration.ofHours(1))
                .build();
        closed.close();
        try (SlabAllocator open = SlabAllocator.builder()
                .name("open-at-exit")
                .reapInterval(Duration.ZERO)
                .reportInterval(Duration.ofHours(1))
                .build()) {
            ShutdownReport.reportAll();
            assertEquals(1, reportsOf("open-at-exit"));
            assertEquals(0, reportsOf("closed-at-exit"));
            assertTrue(open.report().contains("'open-at-exit'"));
        }
    }

    @Test
    void anAllocatorDroppedWithoutCloseIsNotKeptByItsReports() throws InterruptedException {
        WeakReference<SlabAllocator> ref = dropped(); // its native memory stays mapped: only the test JVM's
        for (int i = 0; i < 100 && (ref.get() != null || inShutdownReport("dropped")); i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertNull(ref.get(), "the periodic report and the shutdown hook hold the allocator weakly");
        assertFalse(inShutdownReport("dropped"));
    }

    private static WeakReference<SlabAllocator> dropped() {
        return new WeakReference<>(SlabAllocator.builder()
                .name("dropped")
                .reapInterval(Duration.ZERO)
                .reportInterval(Duration.ofMillis(20))
                .build());
    }

    @Test
    void anAllocatorWhoseCacheIsStillUsedKeepsItsReports() throws InterruptedException {
        KmemCache cache = SlabAllocator.builder()
                .name("kept-by-its-cache")
                .reapInterval(Duration.ZERO)
                .reportInterval(Duration.ZERO)
                .build()
                .createCache("kept", 64); // the program holds the cache, not the allocator
        WeakReference<Object> canary = new WeakReference<>(new Object());
        for (int i = 0; i < 100 && canary.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        System.gc();
        assertNull(canary.get(), "a collection ran");
        MemorySegment o = cache.alloc();
        cache.free(o);
        assertTrue(inShutdownReport("kept-by-its-cache"), "the exit report of an allocator whose cache is in use");
    }

    @Test
    void aBadIntervalIsRefused() {
        for (Duration bad : new Duration[] {Duration.ofSeconds(-1), Duration.ofNanos(1)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SlabAllocator.builder()
                    .name("bad")
                    .reportInterval(bad)
                    .build());
            assertTrue(e.getMessage().contains("'bad'") && e.getMessage().contains("reportInterval"), e.getMessage());
        }
    }
}
