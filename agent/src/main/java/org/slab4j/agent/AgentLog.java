package org.slab4j.agent;

/**
 * The agent's log: one line per event on standard error, prefixed {@code [slab4j-agent] LEVEL}. The agent logs
 * without SLF4J so that it neither needs nor disturbs the application's logging.
 */
final class AgentLog {
    private AgentLog() {}

    static void error(String message) {
        System.err.println("[slab4j-agent] ERROR " + message);
    }

    static void warn(String message) {
        System.err.println("[slab4j-agent] WARN " + message);
    }

    static void info(String message) {
        System.err.println("[slab4j-agent] INFO " + message);
    }
}
