package org.slab4j.it;

import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * Stands in for jul-to-slf4j's bridge handler (the runtime recognises the bridge by its simple name): prints what it
 * gets to standard output, each line prefixed {@code bridged: }.
 */
public final class SLF4JBridgeHandler extends Handler {
    @Override
    public void publish(LogRecord r) {
        System.out.println("bridged: " + r.getLevel() + " " + r.getLoggerName() + " " + r.getMessage());
    }

    @Override
    public void flush() {
        System.out.flush();
    }

    @Override
    public void close() {}
}
