package org.slab4j.agent.live;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code slabtop [-d SECONDS] [-o] [-s KEY] [-t] [-a ALLOCATOR] PID}: procps {@code slabtop} for a JVM that runs the
 * agent. It attaches ({@link Target}), reads the allocator's MBeans every {@code -d} seconds ({@link Snapshot}) and
 * draws a view ({@link Screen}) on the terminal ({@link Terminal}) until {@code q} or Ctrl-C; {@code -o} prints one
 * view and exits. Keys: the sort keys of {@link SortKey}, {@code t} switches between the caches and the {@code @Slab}
 * types, space refreshes now, {@code q} quits.
 */
public final class Slabtop {
    /** The usage line. */
    public static final String USAGE = "slabtop [-d SECONDS] [-o] [-s KEY] [-t] [-a ALLOCATOR] PID";

    private static final int QUIT = -1;

    private long pid = -1;
    private long delayMillis = 3000;
    private boolean once;
    private boolean types;
    private SortKey sort = SortKey.DEFAULT;
    private String allocator = Snapshot.GLOBAL;

    private Slabtop() {}

    /**
     * Runs the command.
     *
     * @param args the arguments after {@code slabtop}
     * @param out where the views go
     * @return the exit status
     * @throws CommandException for a bad command line or a JVM that cannot be watched
     */
    public static int run(List<String> args, PrintStream out) throws CommandException {
        Slabtop top = new Slabtop();
        top.parse(args);
        try (Target target = Target.attach(top.pid)) {
            return top.once ? top.printOnce(target, out) : top.watch(target, out);
        }
    }

    private void parse(List<String> args) throws CommandException {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "-o", "--once" -> once = true;
                case "-t", "--types" -> types = true;
                case "-d", "--delay" -> {
                    String v = value(args, ++i, a);
                    try {
                        delayMillis = Math.round(Double.parseDouble(v) * 1000);
                    } catch (NumberFormatException e) {
                        delayMillis = 0;
                    }
                    if (delayMillis < 100 || delayMillis > 86_400_000) {
                        throw usage("-d takes seconds from 0.1 to 86400, not '" + v + "'");
                    }
                }
                case "-s", "--sort" -> {
                    String v = value(args, ++i, a);
                    sort = v.length() == 1 ? SortKey.of(v.charAt(0)) : null;
                    if (sort == null) {
                        throw usage("-s takes one of the keys a b c l v n o p s u, not '" + v + "'");
                    }
                }
                case "-a", "--allocator" -> allocator = value(args, ++i, a);
                default -> {
                    if (a.startsWith("-") || pid >= 0) {
                        throw usage("unknown argument '" + a + "'");
                    }
                    try {
                        pid = Long.parseLong(a);
                    } catch (NumberFormatException e) {
                        throw usage("'" + a + "' is not a pid");
                    }
                }
            }
        }
        if (pid < 0) {
            throw usage("which JVM? give its pid (jps lists them)");
        }
    }

    private static String value(List<String> args, int i, String option) throws CommandException {
        if (i >= args.size()) {
            throw usage(option + " needs a value");
        }
        return args.get(i);
    }

    private static CommandException usage(String message) {
        return new CommandException(CommandException.USAGE, "slabtop: " + message + "\nusage: " + USAGE);
    }

    private int printOnce(Target target, PrintStream out) throws CommandException {
        Snapshot s = read(target);
        if (s == null) {
            throw new CommandException(CommandException.FAILED, missing(target));
        }
        for (String line :
                types ? Screen.types(s, Integer.MAX_VALUE, null) : Screen.caches(s, sort, Integer.MAX_VALUE, null)) {
            out.println(line);
        }
        return 0;
    }

    private int watch(Target target, PrintStream out) throws CommandException {
        BlockingQueue<Integer> keys = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> readKeys(System.in, keys), "slabtop-keys");
        reader.setDaemon(true);
        try (Terminal term = Terminal.open(out)) {
            reader.start();
            while (true) {
                int[] size = term.size();
                term.draw(view(target, size[0]), size[1]);
                Integer key = keys.poll(delayMillis, TimeUnit.MILLISECONDS);
                if (key == null) {
                    continue;
                }
                if (key == QUIT || key == 'q' || key == 'Q') {
                    return 0;
                }
                SortKey k = SortKey.of((char) key.intValue());
                if (k != null) {
                    sort = k;
                    types = false;
                } else if (key == 't') {
                    types = !types;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CommandException.FAILED;
        }
    }

    private List<String> view(Target target, int rows) throws CommandException {
        // The keys first, so that a narrow terminal cuts the rest.
        String status = (types ? " q: quit, t: caches" : " q: quit, t: @Slab types, a b c l v n o p s u: sort")
                + " | pid " + target.pid() + ", allocator '" + allocator + "', every " + delayMillis / 1000.0 + " s"
                + (types ? "" : ", by " + sort.label());
        Snapshot s = read(target);
        if (s == null) {
            return List.of(" " + missing(target), status); // the allocator may still come: keep watching
        }
        return types ? Screen.types(s, rows, status) : Screen.caches(s, sort, rows, status);
    }

    /** @return the reading, or null when the allocator has no MBeans */
    private Snapshot read(Target target) throws CommandException {
        try {
            return Snapshot.read(target, allocator);
        } catch (IOException e) {
            throw Target.gone(target.pid(), e);
        }
    }

    private String missing(Target target) throws CommandException {
        try {
            return Snapshot.missing(target, allocator);
        } catch (IOException e) {
            throw Target.gone(target.pid(), e);
        }
    }

    /** Queues each byte typed; {@link #QUIT} when the input ends. */
    private static void readKeys(InputStream in, BlockingQueue<Integer> keys) {
        try {
            for (int b; (b = in.read()) >= 0; ) {
                keys.add(b);
            }
        } catch (IOException e) {
            // no more keys
        }
        keys.add(QUIT);
    }
}
