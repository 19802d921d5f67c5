package org.slab4j.agent;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import org.slab4j.agent.live.CommandException;
import org.slab4j.agent.live.HtmlReport;
import org.slab4j.agent.live.JfcFile;
import org.slab4j.agent.live.Slabtop;

/**
 * {@code java -jar slab4j-agent.jar COMMAND ...}: the agent jar's commands (its {@code Main-Class}; the
 * {@code -javaagent} entry point is {@link SlabAgent}, named by {@code Premain-Class}). Runs in a JVM of its own, where
 * the slab4j runtime is not loaded: the commands read a running JVM over JMX, or files.
 */
public final class Main {
    static final String USAGE = """
            usage: java -jar slab4j-agent.jar COMMAND [ARGUMENTS]
                   java -javaagent:slab4j-agent.jar[=OPTIONS] ...   (the agent itself)

            commands:
              %s
                  live view of the slab caches and @Slab types of a JVM that runs the agent, as procps slabtop
                  (keys a b c l v n o p s u sort, t switches to the @Slab types, q quits; -o prints once)
              %s
                  one self-contained HTML page with charts over time from the JSON lines of a run's reports
                  (reportJson=true); written next to REPORT.jsonl unless -o names the page
              %s
                  writes slab4j.jfc, JFR settings that turn slab4j's events on (-o - to standard output), for
                  -XX:StartFlightRecording:settings=default,settings=slab4j.jfc
            """.formatted(Slabtop.USAGE, HtmlReport.USAGE, JfcFile.USAGE);

    private Main() {}

    /**
     * Runs a command and exits with its status: 0 done, 1 failed, 2 not understood.
     *
     * @param args the command and its arguments
     */
    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()
                || args.get(0).equals("-h")
                || args.get(0).equals("--help")
                || args.get(0).equals("help")) {
            (args.isEmpty() ? err : out).print(USAGE);
            return args.isEmpty() ? CommandException.USAGE : 0;
        }
        List<String> rest = args.subList(1, args.size());
        try {
            return switch (args.get(0)) {
                case "slabtop" -> Slabtop.run(rest, out);
                case "html" -> HtmlReport.run(rest, err);
                case "jfc" -> JfcFile.run(rest, out);
                default ->
                    throw new CommandException(
                            CommandException.USAGE, "unknown command '" + args.get(0) + "'\n" + USAGE);
            };
        } catch (CommandException e) {
            err.println(e.getMessage());
            return e.status();
        }
    }
}
