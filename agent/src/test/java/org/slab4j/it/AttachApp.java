package org.slab4j.it;

import com.sun.tools.attach.VirtualMachine;
import org.slab4j.Slabs;
import org.slab4j.it.Fixtures.Point;

/**
 * Loads a {@code @Slab} class, attaches the agent to its own JVM, then uses another one; {@link AttachIT} runs it.
 *
 * <p>Arguments: the agent jar.
 */
public final class AttachApp {
    private AttachApp() {}

    public static void main(String[] args) throws Exception {
        Point early = new Point();
        System.out.println("before attach: segment " + early.mem);
        VirtualMachine vm =
                VirtualMachine.attach(String.valueOf(ProcessHandle.current().pid()));
        try {
            vm.loadAgent(args[0], "report=50ms");
        } finally {
            vm.detach();
        }
        Object late = Class.forName(AttachApp.class.getPackageName() + ".Fixtures$Vector")
                .getDeclaredConstructor()
                .newInstance();
        System.out.println("after attach: segment of " + Slabs.segmentOf(late).byteSize() + " bytes");
        Thread.sleep(300);
    }
}
