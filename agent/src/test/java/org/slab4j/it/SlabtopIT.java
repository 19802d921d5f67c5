package org.slab4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar slab4j-agent.jar slabtop} against a JVM the test starts with the agent ({@link LiveApp}, 1000
 * {@code Point}s and 100 {@code Counted}s): the {@code -o} output and the error messages here, the interactive mode in
 * {@link SlabtopTmuxIT}.
 */
class SlabtopIT {
    static Process target;

    @BeforeAll
    static void startTarget() throws Exception {
        target = startLiveApp(true);
    }

    @AfterAll
    static void stopTarget() throws Exception {
        stop(target);
    }

    /** Starts {@link LiveApp} (with the agent or without) and waits until it has allocated its objects. */
    static Process startLiveApp(boolean agent) throws Exception {
        Process p = agent
                ? Forked.start(
                        "-javaagent:" + Forked.agent(),
                        "-cp",
                        Forked.testClasses(),
                        LiveApp.class.getName(),
                        "1000",
                        "second")
                : Forked.start("-cp", Forked.testClasses(), LiveApp.class.getName(), "1000");
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = r.readLine()) != null; ) {
            seen.append(line).append('\n');
            if (line.startsWith("ready")) {
                return p;
            }
        }
        throw new AssertionError("LiveApp ended before it was ready:\n" + seen);
    }

    /** Ends {@link LiveApp}: closes its input. */
    static void stop(Process p) throws Exception {
        p.getOutputStream().close();
        p.waitFor();
    }

    static String slabtop(int status, String... args) throws Exception {
        String[] command = new String[args.length + 3];
        command[0] = "-jar";
        command[1] = Forked.agent();
        command[2] = "slabtop";
        System.arraycopy(args, 0, command, 3, args.length);
        return Forked.javaExiting(status, command);
    }

    /** @return the row of cache {@code name} in a caches view */
    static String row(String view, String name) {
        return view.lines()
                .filter(l -> l.endsWith(" " + name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row " + name + " in\n" + view));
    }

    @Test
    void printsOnceTheSummaryAndTheCachesAsSlabtopDoes() throws Exception {
        String out = slabtop(0, "-o", String.valueOf(target.pid()));
        for (String line : List.of(
                " Active / Total Objects (% used)    : ",
                " Active / Total Slabs (% used)      : ",
                " Active / Total Caches (% used)     : ",
                " Active / Total Size (% used)       : ",
                " Minimum / Average / Maximum Object : ",
                "  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME")) {
            assertTrue(out.contains("\n" + line) || out.startsWith(line), line + " in\n" + out);
        }
        // the summary's objects are the sums of the rows' OBJS and ACTIVE columns (-o lists every cache)
        long objs = 0, active = 0;
        for (String r :
                out.substring(out.indexOf("CACHE SIZE NAME")).lines().skip(1).toList()) {
            objs += Long.parseLong(r.trim().split(" +")[0]);
            active += Long.parseLong(r.trim().split(" +")[1]);
        }
        assertTrue(out.startsWith(" Active / Total Objects (% used)    : " + active + " / " + objs + " ("), out);
        String[] point = row(out, "Point").trim().split(" +");
        assertTrue(Long.parseLong(point[1]) >= 1000, out); // ACTIVE: the 1000 points and maybe cached ones
        assertEquals("0.05K", point[3], out); // OBJ SIZE: 48 bytes
        String[] counted = row(out, "Counted").trim().split(" +");
        assertTrue(Long.parseLong(counted[1]) >= 100, out);
        // the default order is by objects: Point (1000) above Counted (100) above the empty kmalloc caches
        assertTrue(out.indexOf(row(out, "Point")) < out.indexOf(row(out, "Counted")), out);
        assertTrue(out.indexOf(row(out, "Counted")) < out.indexOf(row(out, "kmalloc-32")), out);
    }

    @Test
    void sortsByTheKeyOfDashS() throws Exception {
        String byName = slabtop(0, "-o", "-s", "n", String.valueOf(target.pid()));
        assertTrue(byName.indexOf(row(byName, "Counted")) < byName.indexOf(row(byName, "Point")), byName);
        String bySize = slabtop(0, "-o", "-s", "s", String.valueOf(target.pid()));
        assertTrue(bySize.indexOf(row(bySize, "kmalloc-4M")) < bySize.indexOf(row(bySize, "Counted")), bySize);
        assertTrue(bySize.indexOf(row(bySize, "Counted")) < bySize.indexOf(row(bySize, "Point")), bySize);
    }

    @Test
    void printsTheSlabTypesAndTheirSites() throws Exception {
        String out = slabtop(0, "-o", "-t", String.valueOf(target.pid()));
        assertTrue(out.contains(" @Slab types: 2   live objects: 1100 "), out);
        String point = out.lines()
                .filter(l -> l.endsWith("org.slab4j.it.Fixtures$Point (Point)"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(out));
        assertEquals("1000", point.trim().split(" +")[0], out);
        assertTrue(out.contains("org.slab4j.it.LiveApp.main:"), out);
    }

    @Test
    void showsAnotherAllocatorByName() throws Exception {
        String out = slabtop(0, "-o", "-a", "live-second", String.valueOf(target.pid()));
        assertTrue(Long.parseLong(row(out, "second-cache").trim().split(" +")[0]) >= 10, out); // OBJS
        assertTrue(out.lines().noneMatch(l -> l.endsWith(" Point")), out);
        out = slabtop(1, "-o", "-a", "nope", String.valueOf(target.pid()));
        assertTrue(out.contains("has no MBeans of allocator 'nope': build it with jmx(true), or name one of"), out);
        assertTrue(out.contains("name=live-second"), out);
    }

    @Test
    void saysWhenThePidRunsNoAgent() throws Exception {
        Process plain = startLiveApp(false);
        try {
            String out = slabtop(1, "-o", String.valueOf(plain.pid()));
            assertTrue(
                    out.contains("pid " + plain.pid() + " is a JVM without the slab4j agent: start it with"
                            + " -javaagent:"),
                    out);
        } finally {
            stop(plain);
        }
    }

    @Test
    void saysWhenThereIsNoSuchProcessOrNoJvm() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        String out = slabtop(1, "-o", String.valueOf(ended.pid()));
        assertTrue(out.contains("no process with pid " + ended.pid()), out);
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            out = slabtop(1, "-o", String.valueOf(sleep.pid()));
            assertTrue(out.contains("cannot attach to pid " + sleep.pid()), out);
        } finally {
            sleep.destroy();
        }
    }

    @Test
    void saysWhenTheUserMayNotAttach(@TempDir Path dir) throws Exception {
        assumeTrue(
                "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/sbin/runuser")),
                "trying slabtop as another user (nobody) needs root and runuser");
        Path jar = dir.resolve("slab4j-agent.jar"); // where user nobody can read it
        Files.copy(Path.of(Forked.agent()), jar);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        List<String> command = new ArrayList<>(List.of("/usr/sbin/runuser", "-u", "nobody", "--"));
        command.addAll(Forked.command("-jar", jar.toString(), "slabtop", "-o", String.valueOf(target.pid())));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, p.waitFor(), out);
        assertTrue(out.contains("cannot attach to pid " + target.pid()), out);
        assertTrue(out.contains("it runs as user root; run slabtop as that user"), out);
    }

    @Test
    void withoutArgumentsPrintsTheUsageOfEveryCommand() throws Exception {
        String out = Forked.javaExiting(2, "-jar", Forked.agent());
        assertTrue(out.contains("usage: java -jar slab4j-agent.jar COMMAND"), out);
        assertTrue(out.contains("slabtop [-d SECONDS] [-o] [-s KEY]"), out);
        out = slabtop(2, "-s", "x", "1");
        assertTrue(out.contains("-s takes one of the keys a b c l v n o p s u, not 'x'"), out);
    }
}
