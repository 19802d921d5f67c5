package org.slab4j.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.slab4j.agent.GeneratedClasses.assertVerifies;
import static org.slab4j.agent.GeneratedClasses.returnCases;
import static org.slab4j.agent.GeneratedClasses.slabClass;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;
import org.slab4j.internal.type.Sites;
import org.slab4j.internal.type.SlabHooks;
import org.slab4j.it.Stderr;

/**
 * The transformer run on class files of the test fixtures and on generated ones (no agent): which classes it leaves
 * untouched, and what it does with methods near the 64 KiB limit.
 */
class SlabTransformerTest {
    private final ClassLoader loader = getClass().getClassLoader();

    private static final String ANNOTATED = "org/slab4j/it/Order";
    private static final String MAKER = "org/slab4j/it/ConflictingApp";
    private static final String PLAIN = "org/slab4j/it/ClassLoaderIT";

    @Test
    void unannotatedClassesThatMakeNoSlabObjectsAreLeftUntouched() throws IOException {
        assertNull(transform(AgentOptions.parse(null, new Properties(), Map.of()), PLAIN));
    }

    @Test
    void annotatedClassesAndTheirAllocationSitesAreInstrumented() throws IOException {
        AgentOptions options = AgentOptions.parse(null, new Properties(), Map.of());
        assertNotNull(transform(options, ANNOTATED));
        assertNotNull(transform(options, MAKER));
    }

    @Test
    void withoutSiteTrackingOnlyAnnotatedClassesChange() throws IOException {
        AgentOptions options = AgentOptions.parse("sites=false", new Properties(), Map.of());
        assertNotNull(transform(options, ANNOTATED));
        assertNull(transform(options, MAKER));
    }

    @Test
    void excludedAndPlatformClassesAreLeftUntouched() throws IOException {
        AgentOptions options = AgentOptions.parse("exclude=org.slab4j.it.*", new Properties(), Map.of());
        assertNull(transform(options, ANNOTATED));
        assertNull(new SlabTransformer(AgentOptions.parse(null, new Properties(), Map.of()), null)
                .transform(loader, "java/lang/String", null, null, new byte[0]));
    }

    /** A class file older than Java 11 cannot hold the dynamic constants: it is treated as misconfigured. */
    @Test
    void anAnnotatedClassFileBeforeJava11IsAConfigurationError() throws IOException {
        byte[] classFile;
        try (InputStream in = loader.getResourceAsStream(ANNOTATED + ".class")) {
            classFile = in.readAllBytes();
        }
        classFile[6] = 0; // major version, big-endian at bytes 6-7: 52 is Java 8
        classFile[7] = 52;
        byte[] transformed = new SlabTransformer(AgentOptions.parse(null, new Properties(), Map.of()), null)
                .transform(loader, ANNOTATED, null, null, classFile);
        assertNotNull(transformed);
        String constants = new String(transformed, StandardCharsets.ISO_8859_1);
        assertTrue(constants.contains("version 52 (before Java 11)"), "no configuration error in the class");
        assertFalse(constants.contains("Slabs$Instrumented"), "a misconfigured class gets no free method");
    }

    private byte[] transform(AgentOptions options, String name) throws IOException {
        try (InputStream in = loader.getResourceAsStream(name + ".class")) {
            return new SlabTransformer(options, null).transform(loader, name, null, null, in.readAllBytes());
        }
    }

    /**
     * A method that fences would push past 64 KiB of code goes without them; the class is still instrumented, and its
     * {@code new} expression (met by both rewrites) is one site.
     */
    @Test
    void aMethodThatFencesWouldMakeTooLargeGoesWithoutThem() throws Exception {
        ClassWriter cw = slabClass("gen/Large");
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "f", "(I)I", null, null);
        mv.visitCode();
        mv.visitTypeInsn(Opcodes.NEW, "gen/Large");
        mv.visitInsn(Opcodes.DUP);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "gen/Large", "<init>", "()V", false);
        mv.visitInsn(Opcodes.POP);
        returnCases(mv, 7_000, "gen/Large"); // 9 bytes a case, 63,000 in all; 14 with a fence, 98,000
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitMaxs(2, 2);
        mv.visitEnd();
        int before = SlabHooks.registerSite(null, "gen.Probe", "before");
        assertVerifies("gen/Large", cw);
        int after = SlabHooks.registerSite(null, "gen.Probe", "after");
        // Ids are handed out in order, but for those of collected loaders' sites, which go first: a few more cover
        // them.
        long sites = IntStream.rangeClosed(1, Math.max(before, after) + 64)
                .mapToObj(Sites::byId)
                .filter(site -> site != null && site.location().startsWith("gen.Large.f:"))
                .count();
        assertEquals(1, sites, "sites registered by the rewrites");
    }

    /**
     * A method that the site hooks alone push past 64 KiB (a static one, which has no fences) leaves its class as it is
     * at once, with one ERROR and no word of fences.
     */
    @Test
    void aMethodTooLargeWithoutFencesLeavesTheClassAsItIsWithoutARetry() throws Exception {
        ClassWriter cw = new ClassWriter(0);
        cw.visit(Opcodes.V21, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "gen/Maker", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "f", "()V", null, null);
        mv.visitCode();
        for (int k = 0; k < 7_000; k++) { // 9 bytes a new expression, 63,000 in all; 15 with its site, 105,000
            mv.visitTypeInsn(Opcodes.NEW, ANNOTATED);
            mv.visitInsn(Opcodes.DUP);
            mv.visitInsn(Opcodes.LCONST_0);
            mv.visitMethodInsn(Opcodes.INVOKESPECIAL, ANNOTATED, "<init>", "(J)V", false);
            mv.visitInsn(Opcodes.POP);
        }
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(4, 0);
        mv.visitEnd();
        cw.visitEnd();
        byte[] classFile = cw.toByteArray();
        String log = Stderr.during(
                () -> assertNull(new SlabTransformer(AgentOptions.parse(null, new Properties(), Map.of()), null)
                        .transform(loader, "gen/Maker", null, null, classFile)));
        assertTrue(log.contains("ERROR cannot instrument gen.Maker, left as it is"), log);
        assertFalse(log.contains("fences"), log);
    }
}
