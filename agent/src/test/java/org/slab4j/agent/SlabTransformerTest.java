package org.slab4j.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;
import org.slab4j.internal.type.SlabHooks;
import org.slab4j.it.Stderr;

/** The transformer run on class files of the test fixtures (no agent): which classes it leaves untouched. */
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
     * A liveness-based preverifier (ProGuard's) may declare {@code this} dead (TOP) in a frame. The method's returns
     * still keep the instance reachable, through a copy of {@code this} the agent keeps in a local of its own, and the
     * class verifies.
     */
    @Test
    void aFrameThatDeclaresThisDeadStillGetsItsFencesAndTheClassVerifies() throws Exception {
        ClassWriter cw = slabClass("gen/DeadThis");
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "f", "(I)I", null, null);
        mv.visitCode();
        Label negative = new Label();
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        mv.visitJumpInsn(Opcodes.IFLE, negative);
        mv.visitInsn(Opcodes.ICONST_1);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitLabel(negative);
        mv.visitFrame(Opcodes.F_FULL, 2, new Object[] {Opcodes.TOP, Opcodes.INTEGER}, 0, new Object[0]);
        mv.visitInsn(Opcodes.ICONST_2);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitMaxs(1, 2);
        mv.visitEnd();
        assertEquals(2, fences(assertVerifies("gen/DeadThis", cw), "f"), "fences in f, one a return");
    }

    /** A method that stores an {@code int} into local 0 (no Java compiler does; other bytecode may) keeps its fence. */
    @Test
    void aMethodThatReusesLocalZeroForAnIntStillGetsItsFence() throws Exception {
        ClassWriter cw = slabClass("gen/ReusedThis");
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "f", "()I", null, null);
        mv.visitCode();
        mv.visitInsn(Opcodes.ICONST_5);
        mv.visitVarInsn(Opcodes.ISTORE, 0);
        mv.visitVarInsn(Opcodes.ILOAD, 0);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitMaxs(1, 1);
        mv.visitEnd();
        assertEquals(1, fences(assertVerifies("gen/ReusedThis", cw), "f"), "fences in f");
    }

    /**
     * A constructor whose frame after {@code super()} declares {@code this} dead: the catch-all that gives the segment
     * back when the body throws, and the fences, use the agent's copy of {@code this}, and the class verifies.
     */
    @Test
    void aConstructorWhoseFrameDeclaresThisDeadVerifies() throws Exception {
        ClassWriter cw = slabClass("gen/DeadThisInit");
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "(I)V", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        deadBranch(mv, Opcodes.RETURN, new Object[] {Opcodes.TOP, Opcodes.INTEGER});
        mv.visitMaxs(1, 2);
        mv.visitEnd();
        assertEquals(2, fences(assertVerifies("gen/DeadThisInit", cw), "<init>(I)V"), "fences, one a return");
    }

    /** {@code close()} of an {@code AutoCloseable} class whose frame declares {@code this} dead verifies. */
    @Test
    void aCloseWhoseFrameDeclaresThisDeadVerifies() throws Exception {
        ClassWriter cw = slabClass("gen/DeadThisClose", "java/lang/AutoCloseable");
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "close", "()V", null, null);
        mv.visitCode();
        deadBranch(mv, Opcodes.RETURN, new Object[] {Opcodes.TOP});
        mv.visitMaxs(1, 1);
        mv.visitEnd();
        assertVerifies("gen/DeadThisClose", cw);
    }

    /**
     * {@code writeObject}, {@code readObject} and {@code readResolve} of a {@code Serializable} class whose frames declare
     * {@code this} and the stream dead verify.
     */
    @Test
    void serialMethodsWhoseFramesDeclareTheirLocalsDeadVerify() throws Exception {
        ClassWriter cw = slabClass("gen/DeadThisSerial", "java/io/Serializable");
        for (String stream : new String[] {"java/io/ObjectOutputStream", "java/io/ObjectInputStream"}) {
            String name = stream.endsWith("OutputStream") ? "writeObject" : "readObject";
            MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PRIVATE, name, "(L" + stream + ";)V", null, null);
            mv.visitCode();
            deadBranch(mv, Opcodes.RETURN, new Object[] {Opcodes.TOP, Opcodes.TOP});
            mv.visitMaxs(1, 2);
            mv.visitEnd();
        }
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PRIVATE, "readResolve", "()Ljava/lang/Object;", null, null);
        mv.visitCode();
        deadBranch(mv, Opcodes.ARETURN, new Object[] {Opcodes.TOP});
        mv.visitMaxs(1, 1);
        mv.visitEnd();
        assertVerifies("gen/DeadThisSerial", cw);
    }

    /**
     * Emits: if {@code Boolean.TRUE} is not null, return (a value, for {@code ARETURN}); else, after a frame of
     * {@code locals}, return. With {@code locals} declaring {@code this} dead, no instruction there may load it.
     */
    private static void deadBranch(MethodVisitor mv, int returnOpcode, Object[] locals) {
        Label dead = new Label();
        mv.visitFieldInsn(Opcodes.GETSTATIC, "java/lang/Boolean", "TRUE", "Ljava/lang/Boolean;");
        mv.visitJumpInsn(Opcodes.IFNULL, dead);
        returned(mv, returnOpcode);
        mv.visitLabel(dead);
        mv.visitFrame(Opcodes.F_FULL, locals.length, locals, 0, new Object[0]);
        returned(mv, returnOpcode);
    }

    private static void returned(MethodVisitor mv, int returnOpcode) {
        if (returnOpcode == Opcodes.ARETURN) {
            mv.visitFieldInsn(Opcodes.GETSTATIC, "java/lang/Boolean", "TRUE", "Ljava/lang/Boolean;");
        }
        mv.visitInsn(returnOpcode);
    }

    /** @return how many reachability fences method {@code method} (a name, or a name and descriptor) of the class has */
    private static int fences(byte[] classFile, String method) {
        int[] count = new int[1];
        new ClassReader(classFile)
                .accept(
                        new ClassVisitor(Opcodes.ASM9) {
                            @Override
                            public MethodVisitor visitMethod(
                                    int access, String name, String descriptor, String signature, String[] exceptions) {
                                if (!method.equals(name) && !method.equals(name + descriptor)) {
                                    return null;
                                }
                                return new MethodVisitor(Opcodes.ASM9) {
                                    @Override
                                    public void visitMethodInsn(
                                            int opcode,
                                            String owner,
                                            String name,
                                            String descriptor,
                                            boolean isInterface) {
                                        if (name.equals("reachabilityFence")) {
                                            count[0]++;
                                        }
                                    }
                                };
                            }
                        },
                        0);
        return count[0];
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
        for (int k = 0; k < 7_000; k++) { // 9 bytes a case, 63,000 in all; 13 with a fence, 91,000
            Label next = new Label();
            mv.visitVarInsn(Opcodes.ILOAD, 1);
            mv.visitIntInsn(Opcodes.SIPUSH, k);
            mv.visitJumpInsn(Opcodes.IF_ICMPNE, next);
            mv.visitInsn(Opcodes.ICONST_1);
            mv.visitInsn(Opcodes.IRETURN);
            mv.visitLabel(next);
            mv.visitFrame(Opcodes.F_FULL, 2, new Object[] {"gen/Large", Opcodes.INTEGER}, 0, new Object[0]);
        }
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitMaxs(2, 2);
        mv.visitEnd();
        int before = SlabHooks.registerSite("gen.Probe", "before");
        assertVerifies("gen/Large", cw);
        assertEquals(before + 2, SlabHooks.registerSite("gen.Probe", "after"), "sites registered by the rewrites");
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

    @Test
    void longAndDoubleLocalsLargeMaxLocalsALoopAtOffsetZeroAndACatchInCloseVerify() throws Exception {
        ClassWriter cw = slabClass("gen/Wide", "java/lang/AutoCloseable");
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "f", "(JDI)I", null, null);
        mv.visitCode();
        Label l = new Label();
        mv.visitVarInsn(Opcodes.ILOAD, 5);
        mv.visitJumpInsn(Opcodes.IFLE, l);
        mv.visitInsn(Opcodes.ICONST_1);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitLabel(l);
        mv.visitFrame(
                Opcodes.F_FULL,
                4,
                new Object[] {"gen/Wide", Opcodes.LONG, Opcodes.DOUBLE, Opcodes.INTEGER},
                0,
                new Object[0]);
        mv.visitInsn(Opcodes.ICONST_2);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitMaxs(1, 12);
        mv.visitEnd();
        // close(): loop at offset 0, a try/catch
        mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "close", "()V", null, null);
        mv.visitCode();
        Label top = new Label(), s = new Label(), e = new Label(), h = new Label(), out = new Label();
        mv.visitTryCatchBlock(s, e, h, "java/lang/RuntimeException");
        mv.visitLabel(top);
        mv.visitFrame(Opcodes.F_FULL, 1, new Object[] {"gen/Wide"}, 0, new Object[0]);
        mv.visitLabel(s);
        mv.visitFieldInsn(Opcodes.GETSTATIC, "java/lang/Boolean", "TRUE", "Ljava/lang/Boolean;");
        mv.visitJumpInsn(Opcodes.IFNULL, top);
        mv.visitLabel(e);
        mv.visitJumpInsn(Opcodes.GOTO, out);
        mv.visitLabel(h);
        mv.visitFrame(Opcodes.F_FULL, 1, new Object[] {Opcodes.TOP}, 1, new Object[] {"java/lang/RuntimeException"});
        mv.visitInsn(Opcodes.POP);
        mv.visitLabel(out);
        mv.visitFrame(Opcodes.F_FULL, 1, new Object[] {Opcodes.TOP}, 0, new Object[0]);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(1, 3);
        mv.visitEnd();
        byte[] b = assertVerifies("gen/Wide", cw);
        assertEquals(2, fences(b, "f"));
    }

    /** Constructor: ternary-ish prologue with a call, long parameter, frames with uninitializedThis; then this(...). */
    @Test
    void constructorsWithABranchingPrologueAndThisCallsVerify() throws Exception {
        ClassWriter cw = slabClass("gen/Ctors");
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "(JI)V", null, null);
        mv.visitCode();
        Label a = new Label();
        mv.visitVarInsn(Opcodes.ILOAD, 3);
        mv.visitJumpInsn(Opcodes.IFEQ, a);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/System", "nanoTime", "()J", false);
        mv.visitInsn(Opcodes.POP2);
        mv.visitLabel(a);
        mv.visitFrame(
                Opcodes.F_FULL,
                3,
                new Object[] {Opcodes.UNINITIALIZED_THIS, Opcodes.LONG, Opcodes.INTEGER},
                0,
                new Object[0]);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        Label b = new Label();
        mv.visitVarInsn(Opcodes.ILOAD, 3);
        mv.visitJumpInsn(Opcodes.IFEQ, b);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitLabel(b);
        mv.visitFrame(Opcodes.F_FULL, 3, new Object[] {Opcodes.TOP, Opcodes.LONG, Opcodes.INTEGER}, 0, new Object[0]);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(3, 6);
        mv.visitEnd();
        mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "(I)V", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitInsn(Opcodes.LCONST_1);
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "gen/Ctors", "<init>", "(JI)V", false);
        Label c = new Label();
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        mv.visitJumpInsn(Opcodes.IFEQ, c);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitLabel(c);
        mv.visitFrame(Opcodes.F_FULL, 2, new Object[] {"gen/Ctors", Opcodes.INTEGER}, 0, new Object[0]);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(4, 2);
        mv.visitEnd();
        assertVerifies("gen/Ctors", cw);
    }

    /** Subclass of Order with a constructor with branches, a method with a long. */
    @Test
    void aSubclassWithABranchingPrologueAndADeadThisVerifies() throws Exception {
        ClassWriter cw = new ClassWriter(0);
        cw.visit(Opcodes.V21, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "gen/Sub", null, ANNOTATED, null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "(JI)V", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        Label a = new Label(), j = new Label();
        mv.visitVarInsn(Opcodes.ILOAD, 3);
        mv.visitJumpInsn(Opcodes.IFEQ, a);
        mv.visitVarInsn(Opcodes.LLOAD, 1);
        mv.visitJumpInsn(Opcodes.GOTO, j);
        mv.visitLabel(a);
        mv.visitFrame(
                Opcodes.F_FULL,
                3,
                new Object[] {Opcodes.UNINITIALIZED_THIS, Opcodes.LONG, Opcodes.INTEGER},
                1,
                new Object[] {Opcodes.UNINITIALIZED_THIS});
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/System", "nanoTime", "()J", false);
        mv.visitLabel(j);
        mv.visitFrame(
                Opcodes.F_FULL,
                3,
                new Object[] {Opcodes.UNINITIALIZED_THIS, Opcodes.LONG, Opcodes.INTEGER},
                2,
                new Object[] {Opcodes.UNINITIALIZED_THIS, Opcodes.LONG});
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, ANNOTATED, "<init>", "(J)V", false);
        Label b = new Label();
        mv.visitVarInsn(Opcodes.ILOAD, 3);
        mv.visitJumpInsn(Opcodes.IFEQ, b);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitLabel(b);
        mv.visitFrame(Opcodes.F_FULL, 3, new Object[] {Opcodes.TOP, Opcodes.LONG, Opcodes.INTEGER}, 0, new Object[0]);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(4, 4);
        mv.visitEnd();
        mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "g", "(D)D", null, null);
        mv.visitCode();
        Label l = new Label();
        mv.visitVarInsn(Opcodes.DLOAD, 1);
        mv.visitInsn(Opcodes.DCONST_0);
        mv.visitInsn(Opcodes.DCMPL);
        mv.visitJumpInsn(Opcodes.IFLE, l);
        mv.visitVarInsn(Opcodes.DLOAD, 1);
        mv.visitInsn(Opcodes.DRETURN);
        mv.visitLabel(l);
        mv.visitFrame(Opcodes.F_FULL, 2, new Object[] {Opcodes.TOP, Opcodes.DOUBLE}, 0, new Object[0]);
        mv.visitInsn(Opcodes.DCONST_0);
        mv.visitInsn(Opcodes.DRETURN);
        mv.visitMaxs(4, 3);
        mv.visitEnd();
        byte[] out = assertVerifies("gen/Sub", cw);
        assertEquals(2, fences(out, "g"));
    }

    /**
     * A constructor that throws on every path before initialising {@code this} (legal bytecode), with a {@code long}
     * parameter in a frame: the frames must not declare the copy's slot, which no instruction writes, so that
     * COMPUTE_MAXS, counting frame entries and not slots, does not leave max_locals one short.
     */
    @Test
    void aConstructorThatNeverInitialisesThisWithALongLocalVerifies() throws Exception {
        ClassWriter cw = slabClass("gen/NoInit");
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "(J)V", null, null);
        mv.visitCode();
        Label l = new Label();
        mv.visitVarInsn(Opcodes.LLOAD, 1);
        mv.visitInsn(Opcodes.LCONST_0);
        mv.visitInsn(Opcodes.LCMP);
        mv.visitJumpInsn(Opcodes.IFNE, l);
        mv.visitInsn(Opcodes.ACONST_NULL);
        mv.visitInsn(Opcodes.ATHROW);
        mv.visitLabel(l);
        mv.visitFrame(Opcodes.F_FULL, 2, new Object[] {Opcodes.UNINITIALIZED_THIS, Opcodes.LONG}, 0, new Object[0]);
        mv.visitInsn(Opcodes.ACONST_NULL);
        mv.visitInsn(Opcodes.ATHROW);
        mv.visitMaxs(4, 3);
        mv.visitEnd();
        assertVerifies("gen/NoInit", cw);
    }

    /**
     * A constructor that calls {@code super()} in two places (which no Java compiler emits, since the call is one
     * top-level statement) is a configuration error: the class verifies, and the constructor throws the error, naming
     * the class and the constructor.
     */
    @Test
    void aConstructorThatInitialisesInTwoPlacesIsAConfigurationError() throws Exception {
        ClassWriter cw = slabClass("gen/TwoInits");
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "(Z)V", null, null);
        mv.visitCode();
        Label other = new Label();
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        mv.visitJumpInsn(Opcodes.IFEQ, other);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitLabel(other);
        mv.visitFrame(Opcodes.F_FULL, 2, new Object[] {Opcodes.UNINITIALIZED_THIS, Opcodes.INTEGER}, 0, new Object[0]);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(1, 2);
        mv.visitEnd();
        String[] log = new String[1];
        byte[][] transformed = new byte[1][];
        log[0] = Stderr.during(() -> transformed[0] = assertVerifies("gen/TwoInits", cw));
        assertTrue(
                log[0].contains("constructor gen.TwoInits(boolean) calls super(...) or this(...) in 2 places"), log[0]);
        Class<?> defined = define("gen/TwoInits", transformed[0]);
        InvocationTargetException e =
                assertThrows(InvocationTargetException.class, () -> defined.getConstructor(boolean.class)
                        .newInstance(true));
        assertTrue(
                e.getCause().getMessage().contains("@Slab class gen.TwoInits: constructor"),
                e.getCause().getMessage());
    }

    /** A method that declares the most locals a class file allows has no slot past them for the copy of this. */
    @Test
    void aMethodDeclaring65535LocalsVerifies() throws Exception {
        ClassWriter cw = slabClass("gen/ManyLocals");
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "f", "()V", null, null);
        mv.visitCode();
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(1, 65535);
        mv.visitEnd();
        assertVerifies("gen/ManyLocals", cw);
    }

    @Test
    void fencesThatPushABranchPast32KiBVerify() throws Exception {
        ClassWriter cw = slabClass("gen/Far");
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "f", "(I)I", null, null);
        mv.visitCode();
        Label far = new Label();
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        mv.visitJumpInsn(Opcodes.IFEQ, far);
        for (int k = 0; k < 3_600; k++) { // 9 bytes a case, 32,400; with fences past 32,767
            Label next = new Label();
            mv.visitVarInsn(Opcodes.ILOAD, 1);
            mv.visitIntInsn(Opcodes.SIPUSH, k);
            mv.visitJumpInsn(Opcodes.IF_ICMPNE, next);
            mv.visitInsn(Opcodes.ICONST_1);
            mv.visitInsn(Opcodes.IRETURN);
            mv.visitLabel(next);
            mv.visitFrame(Opcodes.F_FULL, 2, new Object[] {Opcodes.TOP, Opcodes.INTEGER}, 0, new Object[0]);
        }
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitLabel(far);
        mv.visitFrame(Opcodes.F_FULL, 2, new Object[] {"gen/Far", Opcodes.INTEGER}, 0, new Object[0]);
        mv.visitInsn(Opcodes.ICONST_2);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitMaxs(2, 2);
        mv.visitEnd();
        assertEquals(3_602, fences(assertVerifies("gen/Far", cw), "f"));
    }

    @Test
    void aSubclassWithoutStackMapFramesVerifies() throws Exception {
        for (int version : new int[] {Opcodes.V1_5, Opcodes.V1_6}) {
            String name = "gen/Old" + version;
            ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
            cw.visit(version, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, name, null, ANNOTATED, null);
            MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "(JI)V", null, null);
            mv.visitCode();
            mv.visitVarInsn(Opcodes.ALOAD, 0);
            mv.visitVarInsn(Opcodes.LLOAD, 1);
            mv.visitMethodInsn(Opcodes.INVOKESPECIAL, ANNOTATED, "<init>", "(J)V", false);
            Label b = new Label();
            mv.visitVarInsn(Opcodes.ILOAD, 3);
            mv.visitJumpInsn(Opcodes.IFEQ, b);
            mv.visitInsn(Opcodes.RETURN);
            mv.visitLabel(b);
            mv.visitInsn(Opcodes.RETURN);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
            mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "g", "(I)I", null, null);
            mv.visitCode();
            Label l = new Label();
            mv.visitVarInsn(Opcodes.ILOAD, 1);
            mv.visitJumpInsn(Opcodes.IFLE, l);
            mv.visitInsn(Opcodes.ICONST_1);
            mv.visitInsn(Opcodes.IRETURN);
            mv.visitLabel(l);
            mv.visitInsn(Opcodes.ICONST_0);
            mv.visitInsn(Opcodes.IRETURN);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
            byte[] out = assertVerifies(name, cw);
            assertEquals(2, fences(out, "g"));
        }
    }

    /**
     * @return a writer holding a {@code @Slab} class {@code name} implementing {@code interfaces}, with its segment field
     *     and a constructor
     */
    private static ClassWriter slabClass(String name, String... interfaces) {
        ClassWriter cw = new ClassWriter(0);
        cw.visit(Opcodes.V21, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, name, null, "java/lang/Object", interfaces);
        AnnotationVisitor slab = cw.visitAnnotation("Lorg/slab4j/annotation/Slab;", true);
        slab.visit("size", 16L);
        slab.visitEnd();
        FieldVisitor field = cw.visitField(0, "mem", "Ljava/lang/foreign/MemorySegment;", null, null);
        field.visitAnnotation("Lorg/slab4j/annotation/SlabSegment;", true).visitEnd();
        field.visitEnd();
        MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(1, 1);
        init.visitEnd();
        return cw;
    }

    /**
     * Instruments the class, defines it in a loader of its own and links it, which verifies every method.
     *
     * @return the instrumented class file
     */
    private byte[] assertVerifies(String name, ClassWriter cw) throws Exception {
        cw.visitEnd();
        byte[] transformed = new SlabTransformer(AgentOptions.parse(null, new Properties(), Map.of()), null)
                .transform(loader, name, null, null, cw.toByteArray());
        assertNotNull(transformed, "left as it is");
        Class<?> defined = define(name, transformed);
        assertNotNull(Class.forName(defined.getName(), true, defined.getClassLoader()), "initialised, so verified");
        return transformed;
    }

    /** @return class {@code name} defined from {@code classFile} in a loader of its own */
    private Class<?> define(String name, byte[] classFile) {
        return new ClassLoader(loader) {
            Class<?> define() {
                return defineClass(name.replace('/', '.'), classFile, 0, classFile.length);
            }
        }.define();
    }
}
