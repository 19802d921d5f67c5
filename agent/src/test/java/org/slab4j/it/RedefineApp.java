package org.slab4j.it;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.instrument.ClassDefinition;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.slab4j.Slabs;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;

/**
 * Another agent beside slab4j's (Byte Buddy's, installed at run time): it retransforms a {@code @Slab} class and a
 * subclass of it, then redefines them with their class files as compiled (as a debugger's HotSwap does) and with the
 * bytes its retransformation saw; after each step it makes, uses and frees instances. {@link FrameworksIT} runs it.
 */
public final class RedefineApp {
    private RedefineApp() {}

    @Slab(name = "redefined", size = 16, release = Slab.Release.TRACKED)
    static class Cell implements AutoCloseable {
        @SlabSegment
        private MemorySegment mem;

        Cell(long value) {
            mem.set(JAVA_LONG, 0, value);
        }

        long value() {
            return mem.get(JAVA_LONG, 0);
        }

        @Override
        public void close() {}
    }

    static final class Tagged extends Cell {
        Tagged(long value) {
            super(value);
        }
    }

    /** A retransformation-capable transformer that changes nothing and keeps the first bytes it sees of each class. */
    private static final class Watching implements ClassFileTransformer {
        final Map<Class<?>, byte[]> seen = new ConcurrentHashMap<>();

        @Override
        public byte[] transform(
                ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
            if (redefined != null) {
                seen.putIfAbsent(redefined, bytes.clone());
            }
            return null;
        }
    }

    public static void main(String[] args) throws Exception {
        Instrumentation inst = ByteBuddyAgent.install();
        Cell before = new Cell(1);
        Watching watching = new Watching();
        inst.addTransformer(watching, true);
        step("retransformed", () -> inst.retransformClasses(Cell.class, Tagged.class));
        System.out.println("retransformation saw the hooks: " + hooked(watching.seen.get(Cell.class)) + " "
                + hooked(watching.seen.get(Tagged.class)));
        step(
                "redefined as compiled",
                () -> inst.redefineClasses(
                        new ClassDefinition(Cell.class, compiled(Cell.class)),
                        new ClassDefinition(Tagged.class, compiled(Tagged.class))));
        step(
                "redefined as retransformed",
                () -> inst.redefineClasses(
                        new ClassDefinition(Cell.class, watching.seen.get(Cell.class)),
                        new ClassDefinition(Tagged.class, watching.seen.get(Tagged.class))));
        step("retransformed again", () -> inst.retransformClasses(Cell.class, Tagged.class));
        step("made before", () -> {
            System.out.println("made before holds " + before.value());
            Slabs.free(before);
        });
        System.out.println("allocations " + Slabs.stats(Cell.class).allocations() + ", frees "
                + Slabs.stats(Cell.class).frees());
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Runs the step, then makes, uses and frees a {@link Cell} and a {@link Tagged}. */
    private static void step(String name, Step step) {
        try {
            step.run();
            Cell cell = new Cell(7);
            Tagged tagged = new Tagged(8);
            System.out.println(
                    name + ": " + cell.value() + " " + Slabs.segmentOf(cell).byteSize() + " " + tagged.value());
            Slabs.free(cell);
            tagged.close();
        } catch (Exception | LinkageError e) {
            System.out.println(name + " FAILED: " + e);
        }
    }

    private static byte[] compiled(Class<?> type) throws IOException {
        String file = type.getName().substring(type.getPackageName().length() + 1) + ".class";
        try (InputStream in = type.getResourceAsStream(file)) {
            return in.readAllBytes();
        }
    }

    private static boolean hooked(byte[] bytes) {
        return bytes != null
                && new String(bytes, StandardCharsets.ISO_8859_1).contains("org/slab4j/internal/type/SlabHooks");
    }
}
