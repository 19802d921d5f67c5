package org.slab4j.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
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
        watch("top", target.pid());
    }

    /** Starts tmux session {@code session} running slabtop on JVM {@code pid} and waits for its first view. */
    private void watch(String session, long pid) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String script = "S=$(stty -g); '" + java + "' -jar '" + Forked.agent() + "' slabtop -d 0.5 " + pid
                + "; echo EXIT=$?; if [ \"$(stty -g)\" = \"$S\" ]; then echo TTY-RESTORED; else echo TTY-CHANGED; fi; sleep 600";
        tmux("new-session", "-d", "-s", session, "-x", "150", "-y", "40", script);
        screen(session, s -> s.contains("OBJS ACTIVE  USE OBJ SIZE"));
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

    /**
     * A JVM that ends while watched has exited even while its parent has not yet collected its exit status (it is a
     * zombie until then: here its parent is a shell that never does; elsewhere an init process may reap late), not
     * "lost the connection".
     */
    @Test
    void saysSoWhenTheJvmGoesAwayBeforeItsParentCollectsIt() throws Exception {
        String java = Forked.command(
                        "-javaagent:" + Forked.agent(), "-cp", Forked.testClasses(), LiveApp.class.getName(), "10")
                .stream()
                .map(a -> "'" + a + "'")
                .collect(Collectors.joining(" "));
        // The JVM reads the test's pipe through fd 3 (a command run with & would read /dev/null); the shell then
        // becomes a sleep, which collects no child.
        Process parent = new ProcessBuilder(
                        "sh", "-c", "exec 3<&0; " + java + " <&3 3<&- & echo $!; exec sleep 600 3<&-")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
            long pid = Long.parseLong(out.readLine().trim());
            for (String line; !(line = out.readLine()).startsWith("ready"); ) {
                // the JVM's other output
            }
            watch("zombie", pid);
            parent.getOutputStream().close(); // LiveApp ends
            String s = screen("zombie", x -> x.contains("TTY-"));
            assertTrue(s.contains("the JVM with pid " + pid + " has exited"), s);
            assertTrue(s.contains("EXIT=1") && s.contains("TTY-RESTORED"), s);
        } finally {
            parent.destroy(); // its zombie child goes to init, which collects it
            parent.waitFor();
        }
    }

    /** @return the screen once {@code ready} holds for it (within a minute: a bound, not a timing assertion) */
    private String screen(Predicate<String> ready) throws Exception {
        return screen("top", ready);
    }

    private String screen(String session, Predicate<String> ready) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        String s;
        do {
            s = tmux("capture-pane", "-p", "-t", session);
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
