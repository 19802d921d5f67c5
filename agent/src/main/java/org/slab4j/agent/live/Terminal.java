package org.slab4j.agent.live;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The terminal of an interactive view, without a library: {@code stty} on {@code /dev/tty} switches it to reading
 * keys one by one without echo (Ctrl-C still interrupts), and ANSI sequences draw on the alternate screen. Each frame
 * moves the cursor home and overwrites the lines, clearing to the end of each line and then of the screen, so nothing
 * flickers. {@link #close()} restores the settings saved by {@link #open}, the cursor and the main screen; it also runs
 * at JVM shutdown (Ctrl-C), and twice is harmless.
 */
final class Terminal implements AutoCloseable {
    private static final String TTY = "/dev/tty";
    private static final String ALTERNATE_SCREEN = "\033[?1049h", MAIN_SCREEN = "\033[?1049l";
    private static final String HIDE_CURSOR = "\033[?25l", SHOW_CURSOR = "\033[?25h";
    private static final String HOME = "\033[H", CLEAR_LINE_END = "\033[K", CLEAR_SCREEN_END = "\033[J";

    private final String saved;
    private final PrintStream out;
    private final Thread restoreAtExit = new Thread(this::close, "slabtop-terminal-restore");
    private boolean closed;

    private Terminal(String saved, PrintStream out) {
        this.saved = saved;
        this.out = out;
    }

    /**
     * Puts the terminal in key-at-a-time mode and switches to the alternate screen.
     *
     * @throws CommandException when there is no terminal
     */
    static Terminal open(PrintStream out) throws CommandException {
        String saved;
        try {
            saved = stty("-g").trim();
            stty("-icanon", "-echo", "min", "1");
        } catch (IOException e) {
            throw new CommandException(
                    CommandException.FAILED,
                    "slabtop needs a terminal (" + e.getMessage() + "); use -o to print once without one");
        }
        Terminal t = new Terminal(saved, out);
        Runtime.getRuntime().addShutdownHook(t.restoreAtExit);
        out.print(ALTERNATE_SCREEN + HIDE_CURSOR);
        out.flush();
        return t;
    }

    /** @return {@code {rows, columns}} of the terminal, {@code {24, 80}} when they cannot be read */
    int[] size() {
        try {
            String[] rc = stty("size").trim().split(" ");
            int rows = Integer.parseInt(rc[0]), cols = Integer.parseInt(rc[1]);
            if (rows > 0 && cols > 0) {
                return new int[] {rows, cols};
            }
        } catch (IOException | RuntimeException e) {
            // not a size: use the classic one
        }
        return new int[] {24, 80};
    }

    /** Draws one frame: {@code lines}, each cut to {@code columns} columns ({@link #cut}), from the top left. */
    void draw(List<String> lines, int columns) {
        StringBuilder sb = new StringBuilder(HOME);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            sb.append(cut(line, columns)).append(CLEAR_LINE_END);
            if (i < lines.size() - 1) {
                sb.append("\r\n");
            }
        }
        sb.append(CLEAR_SCREEN_END);
        synchronized (this) {
            if (!closed) {
                out.print(sb);
                out.flush();
            }
        }
    }

    /**
     * @return the start of {@code line} that takes {@code columns} terminal columns at most (a longer line would wrap
     *     and, on a full screen, scroll the top line off), cut between characters
     */
    static String cut(String line, int columns) {
        int used = 0;
        for (int i = 0; i < line.length(); ) {
            int cp = line.codePointAt(i);
            used += width(cp);
            if (used > columns) {
                return line.substring(0, i);
            }
            i += Character.charCount(cp);
        }
        return line;
    }

    /**
     * @return the columns {@code cp} takes on a terminal, as {@code wcwidth}: none for combining marks and format
     *     characters, two for East Asian wide and fullwidth characters and emoji, else one
     */
    private static int width(int cp) {
        int type = Character.getType(cp);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT) {
            return 0;
        }
        boolean wide = cp >= 0x1100
                && (cp <= 0x115F // Hangul Jamo
                        || cp == 0x2329
                        || cp == 0x232A
                        || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F) // CJK ... Yi
                        || (cp >= 0xAC00 && cp <= 0xD7A3) // Hangul syllables
                        || (cp >= 0xF900 && cp <= 0xFAFF) // CJK compatibility ideographs
                        || (cp >= 0xFE10 && cp <= 0xFE19) // vertical forms
                        || (cp >= 0xFE30 && cp <= 0xFE6F) // CJK compatibility forms
                        || (cp >= 0xFF00 && cp <= 0xFF60) // fullwidth forms
                        || (cp >= 0xFFE0 && cp <= 0xFFE6)
                        || (cp >= 0x1F300 && cp <= 0x1F64F) // pictographs, emoticons
                        || (cp >= 0x1F900 && cp <= 0x1F9FF)
                        || (cp >= 0x20000 && cp <= 0x3FFFD)); // CJK extensions
        return wide ? 2 : 1;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        out.print(SHOW_CURSOR + MAIN_SCREEN);
        out.flush();
        try {
            stty(saved);
        } catch (IOException e) {
            System.err.println("slabtop: could not restore the terminal (" + e.getMessage() + "); type: stty sane");
        }
        if (Thread.currentThread() != restoreAtExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(restoreAtExit);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down
            }
        }
    }

    /** Runs {@code stty args} on the controlling terminal and returns its output. */
    private static String stty(String... args) throws IOException {
        String[] command = new String[args.length + 1];
        command[0] = "stty";
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command)
                .redirectInput(new File(TTY))
                .redirectError(ProcessBuilder.Redirect.PIPE)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String error = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("stty " + String.join(" ", args) + ": " + error.trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running stty", e);
        }
        return output;
    }
}
