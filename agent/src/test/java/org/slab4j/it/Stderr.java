package org.slab4j.it;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Captures what code writes to {@link System#err}, where the agent logs. */
public final class Stderr {
    /** Code that may throw. */
    public interface Action {
        void run() throws Exception;
    }

    private Stderr() {}

    /** @return what {@code action} wrote to standard error */
    public static String during(Action action) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
