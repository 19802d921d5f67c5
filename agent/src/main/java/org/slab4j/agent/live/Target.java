package org.slab4j.agent.live;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A running JVM that runs the slab4j agent, reached through the Attach API: attaching checks that the agent runs there
 * (its {@code org.slab4j.agent.running} system property), starts the JVM's local JMX agent and connects to its
 * platform MBean server. Each failure is a {@link CommandException} that names the pid and the way out.
 */
final class Target implements AutoCloseable {
    /** The system property the agent sets in the JVM it runs in (see {@code SlabAgent.RUNNING}). */
    static final String AGENT_PROPERTY = "org.slab4j.agent.running";

    private final long pid;
    private final JMXConnector connector;
    private final MBeanServerConnection mbeans;

    private Target(long pid, JMXConnector connector) throws IOException {
        this.pid = pid;
        this.connector = connector;
        this.mbeans = connector.getMBeanServerConnection();
    }

    /** Attaches to JVM {@code pid} and connects to its MBean server. */
    static Target attach(long pid) throws CommandException {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty()) {
            throw new CommandException(CommandException.FAILED, "no process with pid " + pid);
        }
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException | IOException | SecurityException e) {
            String user = process.get().info().user().orElse("?");
            String me = System.getProperty("user.name");
            throw new CommandException(
                    CommandException.FAILED,
                    "cannot attach to pid " + pid + " (" + e.getMessage() + "): "
                            + (user.equals(me) || "root".equals(me)
                                    ? "is it a JVM (JDK 9 or newer) started without -XX:+DisableAttachMechanism?"
                                    : "it runs as user " + user + "; run slabtop as that user (for example: sudo -u "
                                            + user + " java -jar slab4j-agent.jar slabtop " + pid + ")"));
        }
        try {
            if (vm.getSystemProperties().getProperty(AGENT_PROPERTY) == null) {
                throw new CommandException(
                        CommandException.FAILED,
                        "pid " + pid + " is a JVM without the slab4j agent: start it with"
                                + " -javaagent:/path/to/slab4j-agent.jar");
            }
            String address = vm.startLocalManagementAgent();
            return new Target(pid, JMXConnectorFactory.connect(new JMXServiceURL(address)));
        } catch (IOException e) {
            throw gone(pid, e);
        } finally {
            try {
                vm.detach();
            } catch (IOException e) {
                // the JMX connection, if any, does not need the attach channel
            }
        }
    }

    /** @return the JVM's pid */
    long pid() {
        return pid;
    }

    /** @return the JVM's platform MBean server */
    MBeanServerConnection mbeans() {
        return mbeans;
    }

    /** @return the exception for a connection that failed: the JVM exited, or the connection broke */
    static CommandException gone(long pid, IOException e) {
        boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !zombie(pid);
        return new CommandException(
                CommandException.FAILED,
                alive ? "lost the connection to pid " + pid + ": " + e : "the JVM with pid " + pid + " has exited");
    }

    /**
     * @return whether process {@code pid} has ended but its parent has not yet collected its exit status (state Z or X
     *     in Linux's {@code /proc/PID/stat}), which {@link ProcessHandle#isAlive} counts as alive; false where there is
     *     no such file
     */
    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int comm = stat.lastIndexOf(')'); // "pid (comm) state ...": comm may hold spaces and parentheses
            return comm >= 0 && comm + 2 < stat.length() && "ZX".indexOf(stat.charAt(comm + 2)) >= 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            connector.close();
        } catch (IOException e) {
            // the JVM is gone: nothing to close
        }
    }
}
