package org.slab4j.internal.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where reports go: logger {@code org.slab4j.report.text} (the text at INFO, leaks at WARN) and its sibling
 * {@code org.slab4j.report.json} (JSON lines at INFO), so that routing one does not route the other.
 *
 * <p>At JVM exit the application's logging may already be shut down: java.util.logging's own shutdown hook resets it
 * (closes and removes every handler) concurrently with every other hook, and an application may reset it itself. So
 * the exit report takes care that no line is lost:
 *
 * <ol>
 *   <li>SLF4J bound to java.util.logging (the agent's runtime always is): the lines are logged to the JUL logger
 *       directly, after noting the handlers on its way to the root; each line for which no handler was attached, or a
 *       handler was removed before the line was flushed (a reset removes a handler before it closes it), is also
 *       printed to standard error. A line may so appear twice in a race, never not at all.
 *   <li>SLF4J with no provider: standard error.
 *   <li>Any other provider: through SLF4J (such a backend keeps working until the JVM halts unless it has been
 *       configured to stop in a shutdown hook of its own).
 * </ol>
 */
final class ReportOutput {
    static final String TEXT_LOGGER = "org.slab4j.report.text";
    static final String JSON_LOGGER = "org.slab4j.report.json";
    static final Logger TEXT = LoggerFactory.getLogger(TEXT_LOGGER);
    static final Logger JSON = LoggerFactory.getLogger(JSON_LOGGER);
    private static final AtomicBoolean EXPLAINED = new AtomicBoolean();

    private ReportOutput() {}

    /** The lines of one report: leak warnings, the text, the JSON lines (none unless JSON is on). */
    record Lines(List<String> warnings, String text, List<String> json) {}

    /** Logs {@code lines} while the application runs. */
    static void log(Lines lines) {
        String hint = routingHintOnce();
        if (hint != null) {
            TEXT.info("{}", hint);
        }
        for (String w : lines.warnings()) {
            TEXT.warn("{}", w);
        }
        TEXT.info("{}", lines.text());
        for (String j : lines.json()) {
            JSON.info("{}", j);
        }
    }

    /** Logs {@code lines} at JVM exit: through the logging while it works, else to standard error. */
    static void atExit(Lines lines) {
        String factory = LoggerFactory.getILoggerFactory().getClass().getName();
        if (isJul(factory)) {
            String hint = julRootHandlers().length > 0 ? routingHintOnce() : null; // reset: the bridge, if any, is gone
            if (hint != null) {
                julOrStderr(TEXT_LOGGER, Level.INFO, hint);
            }
            for (String w : lines.warnings()) {
                julOrStderr(TEXT_LOGGER, Level.WARNING, w);
            }
            julOrStderr(TEXT_LOGGER, Level.INFO, lines.text());
            for (String j : lines.json()) {
                julOrStderr(JSON_LOGGER, Level.INFO, j);
            }
        } else if (factory.endsWith("NOPLoggerFactory")) {
            for (String w : lines.warnings()) {
                System.err.println("slab4j WARN " + w);
            }
            System.err.print(lines.text());
            for (String j : lines.json()) {
                System.err.println(j);
            }
            System.err.flush();
        } else {
            log(lines);
        }
    }

    private static boolean isJul(String factory) {
        return factory.contains("JDK14");
    }

    private static void julOrStderr(String logger, Level level, String message) {
        if (!publishedToJul(logger, level, message)) {
            String line = level == Level.WARNING ? "slab4j WARN " + message : message;
            System.err.print(line.endsWith("\n") ? line : line + "\n");
            System.err.flush();
        }
    }

    /**
     * @return whether the message reached a handler that was still attached after it flushed, or the logger does not
     *     log the level (the application has turned it off)
     */
    static boolean publishedToJul(String name, Level level, String message) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        if (!logger.isLoggable(level)) {
            return true;
        }
        List<java.util.logging.Logger> chain = new ArrayList<>();
        List<Handler[]> handlers = new ArrayList<>();
        boolean any = false;
        for (java.util.logging.Logger l = logger; l != null; l = l.getUseParentHandlers() ? l.getParent() : null) {
            Handler[] hs = l.getHandlers();
            chain.add(l);
            handlers.add(hs);
            any |= hs.length > 0;
        }
        if (!any) {
            return false;
        }
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName(name);
        logger.log(record);
        for (Handler[] hs : handlers) {
            for (Handler h : hs) {
                h.flush();
            }
        }
        for (int i = 0; i < chain.size(); i++) {
            List<Handler> now = Arrays.asList(chain.get(i).getHandlers());
            for (Handler h : handlers.get(i)) {
                if (!now.contains(h)) {
                    return false; // removed, and so perhaps closed, before the record reached it
                }
            }
        }
        return true;
    }

    /**
     * SLF4J bound to java.util.logging (under the agent, its own bundled copy, whatever the application uses): say
     * once, with the first report, how to bring the reports into the application's logging, unless jul-to-slf4j's
     * bridge is installed. At exit, once java.util.logging has been reset, whether it was cannot be told: no hint then.
     */
    private static String routingHintOnce() {
        if (isJul(LoggerFactory.getILoggerFactory().getClass().getName())
                && !bridgeInstalled()
                && EXPLAINED.compareAndSet(false, true)) {
            return "slab4j reports are logged through java.util.logging (on stderr by default); to route them into"
                    + " your logging, install jul-to-slf4j's SLF4JBridgeHandler, or configure the JUL loggers "
                    + TEXT_LOGGER + " and " + JSON_LOGGER;
        }
        return null;
    }

    private static Handler[] julRootHandlers() {
        return java.util.logging.Logger.getLogger("").getHandlers();
    }

    /** By simple name: the shaded runtime's class names under {@code org.slf4j} are relocated, the bridge's are not. */
    private static boolean bridgeInstalled() {
        for (Handler h : julRootHandlers()) {
            if (h.getClass().getSimpleName().equals("SLF4JBridgeHandler")) {
                return true;
            }
        }
        return false;
    }
}
