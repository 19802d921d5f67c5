package org.slab4j.it;

import java.lang.instrument.ClassDefinition;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.slab4j.Slabs;

/**
 * A debugger's HotSwap of a {@code @Slab} class with live instances: redefines {@link Swapped} with each class file
 * given (edits of its source that {@link FrameworksIT} compiles), says whether the JVM took it and what an instance
 * made before answers, then frees that instance. {@link FrameworksIT} runs it.
 */
public final class HotSwapApp {
    private HotSwapApp() {}

    public static void main(String[] args) throws Exception {
        Instrumentation inst = ByteBuddyAgent.install();
        Swapped before = new Swapped();
        for (String edited : args) {
            try {
                inst.redefineClasses(new ClassDefinition(Swapped.class, Files.readAllBytes(Path.of(edited))));
                System.out.println("redefined: " + before.value());
            } catch (UnsupportedOperationException e) {
                System.out.println("refused: " + e.getMessage());
            }
        }
        Slabs.free(before);
        System.out.println("live " + Slabs.stats(Swapped.class).live());
    }
}
