package org.slab4j.agent;

import java.lang.instrument.Instrumentation;

/**
 * The agent jar's entry points ({@code Premain-Class}, {@code Agent-Class} and {@code Main-Class}), compiled for Java 8
 * so that any JVM can load it: on Java 22 or newer it hands on to {@link SlabAgent} or {@link Main}; on an older JVM,
 * which cannot load those, it says what slab4j needs and lets the application run without the agent (a
 * {@code premain} that fails to load would abort the JVM: "processing of -javaagent failed"). That matters where
 * {@code JAVA_TOOL_OPTIONS} adds the agent to every JVM of a host. The other classes are referred to only in code that
 * runs on Java 22, which is when the JVM first resolves them.
 */
public final class Launcher {
    /** The first Java feature release with the final Foreign Function & Memory API. */
    static final int REQUIRED = 22;

    private Launcher() {}

    /**
     * Called by the JVM for {@code -javaagent:slab4j-agent.jar[=options]}.
     *
     * @param args the options
     * @param inst the instrumentation
     */
    public static void premain(String args, Instrumentation inst) {
        if (supported("the application runs without the agent")) {
            SlabAgent.premain(args, inst);
        }
    }

    /**
     * Called by the JVM when the agent is attached to a running VM.
     *
     * @param args the options
     * @param inst the instrumentation
     */
    public static void agentmain(String args, Instrumentation inst) {
        if (supported("the agent stays off")) {
            SlabAgent.agentmain(args, inst);
        }
    }

    /**
     * {@code java -jar slab4j-agent.jar COMMAND ...}: exits with status 1 on an older JVM.
     *
     * @param args the command and its arguments
     */
    public static void main(String[] args) {
        if (!supported("run the command with a newer java")) {
            System.exit(1);
        }
        Main.main(args);
    }

    /** @return whether this JVM runs Java {@link #REQUIRED} or newer; if not, says so on standard error */
    private static boolean supported(String consequence) {
        String version = System.getProperty("java.specification.version", "");
        if (feature(version) >= REQUIRED) {
            return true;
        }
        System.err.println("[slab4j-agent] ERROR slab4j needs Java " + REQUIRED + " or newer (the Foreign Function"
                + " & Memory API); this JVM is Java " + version + " (" + System.getProperty("java.home") + "): "
                + consequence);
        return false;
    }

    /** @return the feature release of a {@code java.specification.version} ("1.8" is 8, "17" is 17), or 0 */
    static int feature(String version) {
        String feature = version.startsWith("1.") ? version.substring(2) : version;
        int dot = feature.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? feature : feature.substring(0, dot));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
