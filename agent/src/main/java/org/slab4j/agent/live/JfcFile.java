package org.slab4j.agent.live;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code jfc [-o FILE]}: writes the JFR settings file shipped in the agent jar ({@code slab4j.jfc}: slab4j's events on,
 * cache statistics every 5 s, allocation samples with stack traces) to {@code FILE} ({@code slab4j.jfc} unless given;
 * {@code -} for standard output), for {@code -XX:StartFlightRecording:settings=default,settings=slab4j.jfc}.
 */
public final class JfcFile {
    /** The usage line. */
    public static final String USAGE = "jfc [-o FILE]";

    /** The settings file's name, in the jar and by default on disk. */
    static final String NAME = "slab4j.jfc";

    private JfcFile() {}

    /**
     * Runs the command.
     *
     * @param args the arguments after {@code jfc}
     * @param out standard output, for {@code -o -}
     * @return the exit status
     * @throws CommandException for a bad command line or a file that cannot be written
     */
    public static int run(List<String> args, PrintStream out) throws CommandException {
        String target = NAME;
        if (args.size() == 2 && args.get(0).equals("-o")) {
            target = args.get(1);
        } else if (args.equals(List.of("-o"))) {
            throw new CommandException(CommandException.USAGE, "jfc: -o needs a value (-o FILE)\nusage: " + USAGE);
        } else if (!args.isEmpty()) {
            throw new CommandException(CommandException.USAGE, "jfc: unknown arguments " + args + "\nusage: " + USAGE);
        }
        try (InputStream in = JfcFile.class.getResourceAsStream("/" + NAME)) {
            if (in == null) {
                throw new CommandException(CommandException.FAILED, "jfc: " + NAME + " is missing from the agent jar");
            }
            if (target.equals("-")) {
                in.transferTo(out);
                out.flush();
            } else {
                // Written as html writes its page, not with Files.copy's REPLACE_EXISTING: that deletes an empty
                // directory of the name and, for a directory with files, says only its path
                try (OutputStream file = Files.newOutputStream(Path.of(target))) {
                    in.transferTo(file);
                }
                System.err.println(
                        "wrote " + target + "; record with -XX:StartFlightRecording:settings=default,settings=" + target
                                + ",filename=recording.jfr");
            }
        } catch (IOException e) {
            throw CommandException.io("jfc: cannot write " + target, e);
        }
        return 0;
    }
}
