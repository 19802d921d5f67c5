package org.slab4j.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodTooLargeException;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * Every class of a few real libraries (Byte Buddy with its ASM, JUnit, SLF4J: compiler output of many shapes)
 * instrumented as a subclass of a {@code @Slab} class would be, then linked, which verifies it: the rewrite must break
 * none that links without it. A one-off probe of 202,672 classes (every jar on the build machine and the JDK's own
 * classes, and the same as {@code @Slab} classes) found none; this keeps a part of it in the build.
 */
class LibraryBytecodeTest {
    private static final String SLAB = "org/slab4j/it/Order";

    @Test
    void noClassOfSomeLibrariesFailsVerificationOnceInstrumented() throws Exception {
        int tried = 0;
        List<String> broken = new ArrayList<>();
        assertTrue(
                link(new Group(Map.of("gen.Bad", unverifiable())), "gen.Bad") instanceof VerifyError, "links verify");
        List<Class<?>> libraries = List.of(
                net.bytebuddy.ByteBuddy.class,
                Test.class,
                org.junit.platform.engine.TestEngine.class,
                org.junit.platform.commons.util.ReflectionUtils.class,
                org.opentest4j.AssertionFailedError.class,
                org.slf4j.Logger.class);
        for (Class<?> in : libraries) {
            Path jar = Path.of(
                    in.getProtectionDomain().getCodeSource().getLocation().toURI());
            Map<String, byte[]> originals = classesOf(jar);
            Map<String, byte[]> rewritten = new HashMap<>(originals);
            List<String> probed = new ArrayList<>();
            for (Map.Entry<String, byte[]> e : originals.entrySet()) {
                ClassReader reader = new ClassReader(e.getValue());
                if ((reader.getAccess() & (Opcodes.ACC_INTERFACE | Opcodes.ACC_MODULE)) != 0) {
                    continue;
                }
                try {
                    rewritten.put(e.getKey(), asSubclassOfASlabClass(reader));
                    probed.add(e.getKey());
                } catch (MethodTooLargeException tooLarge) {
                    // the transformer retries without fences, or leaves the class as it is
                }
            }
            ClassLoader withRewrites = new Group(rewritten), asCompiled = new Group(originals);
            for (String name : probed) {
                Throwable error = link(withRewrites, name);
                if ((error instanceof VerifyError || error instanceof ClassFormatError)
                        && link(asCompiled, name) == null) {
                    broken.add(jar.getFileName() + "!" + name + ": " + error);
                }
            }
            tried += probed.size();
        }
        assertTrue(tried > 2_500, tried + " classes");
        assertEquals(List.of(), broken, "broken by the rewrite, of " + tried);
    }

    /** @return a class whose method returns {@code null} as an {@code int}, which verification refuses */
    private static byte[] unverifiable() {
        ClassWriter cw = new ClassWriter(0);
        cw.visit(Opcodes.V21, Opcodes.ACC_PUBLIC, "gen/Bad", null, "java/lang/Object", null);
        var mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "f", "()I", null, null);
        mv.visitCode();
        mv.visitInsn(Opcodes.ACONST_NULL);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitMaxs(1, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** What {@link SlabTransformer} does with a class whose superclass is a {@code @Slab} class. */
    private static byte[] asSubclassOfASlabClass(ClassReader reader) {
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        MethodFacts facts = MethodFacts.of(reader);
        String problem = Prologues.problem(facts.prologues(), reader.getClassName(), "subclass");
        reader.accept(new SlabSubclassRewriter(writer, SLAB, problem, true, true, facts), ClassReader.EXPAND_FRAMES);
        return writer.toByteArray();
    }

    private static Map<String, byte[]> classesOf(Path jar) throws IOException {
        Map<String, byte[]> classes = new HashMap<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry e : Collections.list(file.entries())) {
                String name = e.getName();
                if (name.endsWith(".class") && !name.startsWith("META-INF/") && !name.endsWith("module-info.class")) {
                    try (InputStream in = file.getInputStream(e)) {
                        classes.put(name.substring(0, name.length() - 6).replace('/', '.'), in.readAllBytes());
                    }
                }
            }
        }
        return classes;
    }

    /** @return what linking (and so verifying) class {@code name} throws, or {@code null} */
    private static Throwable link(ClassLoader loader, String name) {
        try {
            loader.loadClass(name).getDeclaredFields(); // links without running the static initialiser
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    /** One jar's classes, defined by this loader first; the rest (the fixtures, other libraries) from the test's. */
    private static final class Group extends ClassLoader {
        private final Map<String, byte[]> classes;

        Group(Map<String, byte[]> classes) {
            super(LibraryBytecodeTest.class.getClassLoader());
            this.classes = classes;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    byte[] b = classes.get(name);
                    c = b != null ? defineClass(name, b, 0, b.length) : super.loadClass(name, false);
                }
                return c;
            }
        }
    }
}
