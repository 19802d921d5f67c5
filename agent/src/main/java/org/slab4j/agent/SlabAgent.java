package org.slab4j.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.jar.JarFile;
import org.slab4j.internal.config.Settings;

/**
 * The {@code -javaagent} entry point. It puts the slab4j runtime (bundled in the agent jar as a nested jar) on the
 * bootstrap class path, so that one copy of it serves instrumented classes of every class loader, then installs
 * {@link SlabTransformer}. The runtime there sees no application library, so the nested jar carries SLF4J relocated
 * and bound to {@code java.util.logging}: runtime messages go to JUL's console (standard error) or, through
 * {@code jul-to-slf4j}, to the application's own logging. Nothing it does can stop the application from starting: a failure
 * is logged and the agent stays off.
 */
public final class SlabAgent {
    static final String RUNTIME_JAR = "slab4j-runtime-bootstrap.jar";
    /**
     * Set (to the options) by the first copy of the agent that starts in a JVM. A system property rather than a static
     * field: two {@code -javaagent} flags naming different copies of the jar load two copies of this class.
     */
    static final String RUNNING = "org.slab4j.agent.running";

    private SlabAgent() {}

    /**
     * Called by the JVM for {@code -javaagent:slab4j-agent.jar[=options]}.
     *
     * @param args the options, {@code key=value} separated by commas
     * @param inst the instrumentation
     */
    public static void premain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    /**
     * Called by the JVM when the agent is attached to a running VM: classes loaded from then on are instrumented;
     * {@code @Slab} classes already loaded are reported as not instrumentable.
     *
     * @param args the options, {@code key=value} separated by commas
     * @param inst the instrumentation
     */
    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, true);
    }

    private static void start(String args, Instrumentation inst, boolean attached) {
        String given = args == null ? "" : args;
        Object first = System.getProperties().putIfAbsent(RUNNING, given);
        if (first != null) {
            // A second transformer would instrument every @Slab class twice: two segments per instance, one lost.
            AgentLog.warn("slab4j agent started more than once; this copy (options '" + given
                    + "') stays off and the first one's options ('" + first + "') apply");
            return;
        }
        try {
            installRuntime(inst); // first: the options are checked by the runtime's rules
            AgentOptions options = AgentOptions.parse(args, System.getProperties(), System.getenv());
            Settings.setArguments(Settings.parseArguments(args)); // for SlabAllocator.global(): its options too
            inst.addTransformer(new SlabTransformer(options, inst), false);
            if (attached) {
                reportLoaded(inst);
            }
        } catch (Throwable e) {
            AgentLog.error("slab4j agent not started, the application runs without it: " + e);
        }
    }

    private static void installRuntime(Instrumentation inst) throws IOException {
        try (InputStream in = SlabAgent.class.getResourceAsStream("/" + RUNTIME_JAR)) {
            if (in == null) {
                AgentLog.warn(RUNTIME_JAR + " is not in the agent jar; using slab4j-runtime from the class path");
                return;
            }
            Path jar = RuntimeJar.file(in.readAllBytes(), Path.of(System.getProperty("java.io.tmpdir")));
            inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile(), false));
            // Also on the system class path, where its classes are shadowed by the bootstrap copies but its
            // resources become visible: ServiceLoader finds the relocated SLF4J provider only that way.
            inst.appendToSystemClassLoaderSearch(new JarFile(jar.toFile(), false));
        }
    }

    private static void reportLoaded(Instrumentation inst) {
        for (Class<?> loaded : inst.getAllLoadedClasses()) {
            try {
                for (Annotation annotation : loaded.getDeclaredAnnotations()) {
                    if (annotation.annotationType().getName().equals("org.slab4j.annotation.Slab")) {
                        AgentLog.warn(loaded.getName() + " was loaded before the agent attached and is not"
                                + " instrumentable; its instances get no segment");
                    }
                }
            } catch (RuntimeException | LinkageError e) {
                // a class whose annotations cannot be read is no @Slab class the agent could report
            }
        }
    }
}
