package org.slab4j.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Interactive {@code slabtop} in a real terminal: a tmux session (its own server) runs it against {@link LiveApp};
 * the test types keys with {@code send-keys} and reads the screen with {@code capture-pane}. After slabtop ends, the
 * shell in the pane prints its exit status, then whether {@code stty -g} is what it was before (the test waits for
 * that last line). Skipped, saying so, when
 * tmux is not installed.
 */
class SlabtopTmuxIT {
    private final String server = "slab4j-it-" + ProcessHandle.current().pid();
    private Process target;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(
                tmuxInstalled(),
                "tmux is not installed: the interactive slabtop test needs it (apt-get install -y tmux)");
        target = SlabtopIT.startLiveApp(true);
        String java = ProcessHandle.current().info().command().orElseThrow();
        String script = "S=$(stty -g); '" + java + "' -jar '" + Forked.agent() + "' slabtop -d 0.5 " + target.pid()
                + "; echo EXIT=$?; if [ \"$(stty -g)\" = \"$S\" ]; then echo TTY-RESTORED; else echo TTY-CHANGED; fi; sleep 600";
        tmux("new-session", "-d", "-s", "top", "-x", "150", "-y", "40", script);
        screen(s -> s.contains("OBJS ACTIVE  USE OBJ SIZE"));
    }

    @AfterEach
    void stop() throws Exception {
        if (target != null) {
            tmux("kill-server");
            SlabtopIT.stop(target);
        }
    }

    @Test
    void sortKeysTheTypesViewAndQuitRestoringTheTerminal() throws Exception {
        String s = screen(x -> x.contains("by objects"));
        assertTrue(s.indexOf(SlabtopIT.row(s, "Point")) < s.indexOf(SlabtopIT.row(s, "Counted")), s);
        assertTrue(s.startsWith(" Active / Total Objects (% used)    : "), s);
        tmux("send-keys", "-t", "top", "n");
        s = screen(x -> x.contains("by name"));
        assertTrue(s.indexOf(SlabtopIT.row(s, "Counted")) < s.indexOf(SlabtopIT.row(s, "Point")), s);
        tmux("send-keys", "-t", "top", "t");
        s = screen(x -> x.contains("@Slab types: 2"));
        assertTrue(s.contains("org.slab4j.it.Fixtures$Point (Point)"), s);
        assertFalse(s.contains("OBJS ACTIVE"), s); // the types view replaced the caches view: no leftovers
        tmux("send-keys", "-t", "top", "t");
        screen(x -> x.contains("OBJS ACTIVE"));
        tmux("send-keys", "-t", "top", "q");
        s = screen(x -> x.contains("TTY-"));
        assertTrue(s.contains("EXIT=0") && s.contains("TTY-RESTORED"), s);
        assertFalse(s.contains("OBJS ACTIVE"), s); // back on the main screen
    }

    /**
     * A row with a name of wide characters is cut at the terminal's width in columns, not in characters: a row longer
     * than the terminal would wrap onto a second line and, on a full screen, scroll the summary's top off.
     */
    @Test
    void aWideNameIsCutAtTheTerminalsWidthInColumns() throws Exception {
        tmux("resize-window", "-t", "top", "-x", "80", "-y", "20");
        tmux("send-keys", "-t", "top", "t"); // two frames drawn after the resize
        screen(x -> x.contains("@Slab types: 2"));
        tmux("send-keys", "-t", "top", "t");
        String s = screen(x -> x.contains("OBJS ACTIVE"));
        assertTrue(s.startsWith(" Active / Total Objects (% used)    : "), s);
        // 55 columns before the name, then 12 characters of two columns: no room for the 13th
        assertTrue(s.contains("K " + LiveApp.WIDE.substring(0, 12) + "\n"), s);
    }

    @Test
    void ctrlCEndsItRestoringTheTerminal() throws Exception {
        tmux("send-keys", "-t", "top", "C-c");
        String s = screen(x -> x.contains("TTY-"));
        assertTrue(s.contains("EXIT=130") && s.contains("TTY-RESTORED"), s);
    }

    @Test
    void saysSoWhenTheJvmGoesAway() throws Exception {
        SlabtopIT.stop(target);
        String s = screen(x -> x.contains("TTY-"));
        assertTrue(s.contains("the JVM with pid " + target.pid() + " has exited"), s);
        assertTrue(s.contains("EXIT=1") && s.contains("TTY-RESTORED"), s);
    }

    /** @return the screen once {@code ready} holds for it (within a minute: a bound, not a timing assertion) */
    private String screen(Predicate<String> ready) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        String s;
        do {
            s = tmux("capture-pane", "-p", "-t", "top");
            if (ready.test(s)) {
                return s;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the screen never got there:\n" + s);
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", server, "-f", "/dev/null"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private static boolean tmuxInstalled() {
        try {
            return new ProcessBuilder("tmux", "-V").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
