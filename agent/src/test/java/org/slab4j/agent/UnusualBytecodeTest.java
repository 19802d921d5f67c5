package org.slab4j.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.slab4j.agent.GeneratedClasses.assertVerifies;
import static org.slab4j.agent.GeneratedClasses.deadBranch;
import static org.slab4j.agent.GeneratedClasses.define;
import static org.slab4j.agent.GeneratedClasses.fences;
import static org.slab4j.agent.GeneratedClasses.returnCases;
import static org.slab4j.agent.GeneratedClasses.slabClass;

import java.lang.reflect.InvocationTargetException;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;
import org.slab4j.internal.type.SlabTypes;
import org.slab4j.it.Stderr;

/**
 * Class files of shapes that javac does not emit but other tools do (liveness-based stack map frames that declare
 * {@code this} dead, as ProGuard's preverifier writes them; locals reused for other types; padded locals; old class
 * file versions), run through the transformer: each must verify once instrumented, and keep its hooks and fences.
 */
class UnusualBytecodeTest {
    /** A {@code @Slab} class of the test fixtures, which generated subclasses extend. */
    private static final String ANNOTATED = "org/slab4j/it/Order";

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
        returnCases(mv, 3_600, Opcodes.TOP); // 9 bytes a case, 32,400; with fences past 32,767
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

    /**
     * A constructor whose prologue's throw is placed after the {@code super()} call (an optimiser's cold block at the
     * end; legal bytecode, reached only while {@code this} is uninitialised) verifies once instrumented (no exception
     * handler of the instance may cover that block, nor may a fence load the copy of {@code this} there), and the throw
     * reaches the caller as it is.
     */
    @Test
    void aPrologueThrowPlacedAfterTheSuperCallVerifies() throws Exception {
        ClassWriter cw = slabClass("gen/ColdThrow");
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "(I)V", null, null);
        mv.visitCode();
        Label cold = new Label();
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        mv.visitJumpInsn(Opcodes.IFLT, cold);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitLabel(cold);
        mv.visitFrame(Opcodes.F_FULL, 2, new Object[] {Opcodes.UNINITIALIZED_THIS, Opcodes.INTEGER}, 0, new Object[0]);
        mv.visitTypeInsn(Opcodes.NEW, "java/lang/IllegalArgumentException");
        mv.visitInsn(Opcodes.DUP);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/IllegalArgumentException", "<init>", "()V", false);
        mv.visitInsn(Opcodes.ATHROW);
        mv.visitMaxs(2, 2);
        mv.visitEnd();
        Class<?> defined = define("gen/ColdThrow", assertVerifies("gen/ColdThrow", cw));
        InvocationTargetException e =
                assertThrows(InvocationTargetException.class, () -> defined.getConstructor(int.class)
                        .newInstance(-1));
        assertEquals(IllegalArgumentException.class, e.getCause().getClass());
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
     * A constructor whose body (after {@code super()} in execution) is placed before the {@code super()} call in the
     * class file, reached by a jump back from it (legal bytecode; an optimiser may lay blocks out so): the body's
     * throw still gives the segment back, and its return and throw keep the instance reachable.
     */
    @Test
    void aBodyPlacedBeforeTheSuperCallGivesTheSegmentBackWhenItThrows() throws Exception {
        ClassWriter cw = slabClass("gen/BodyFirst");
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "(I)V", null, null);
        mv.visitCode();
        Label init = new Label(), body = new Label(), ok = new Label();
        mv.visitJumpInsn(Opcodes.GOTO, init);
        mv.visitLabel(body);
        mv.visitFrame(Opcodes.F_FULL, 2, new Object[] {"gen/BodyFirst", Opcodes.INTEGER}, 0, new Object[0]);
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        mv.visitJumpInsn(Opcodes.IFGE, ok);
        mv.visitTypeInsn(Opcodes.NEW, "java/lang/IllegalStateException");
        mv.visitInsn(Opcodes.DUP);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/IllegalStateException", "<init>", "()V", false);
        mv.visitInsn(Opcodes.ATHROW);
        mv.visitLabel(ok);
        mv.visitFrame(Opcodes.F_FULL, 2, new Object[] {"gen/BodyFirst", Opcodes.INTEGER}, 0, new Object[0]);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitLabel(init);
        mv.visitFrame(Opcodes.F_FULL, 2, new Object[] {Opcodes.UNINITIALIZED_THIS, Opcodes.INTEGER}, 0, new Object[0]);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        mv.visitJumpInsn(Opcodes.GOTO, body);
        mv.visitMaxs(2, 2);
        mv.visitEnd();
        byte[] out = assertVerifies("gen/BodyFirst", cw);
        assertEquals(2, fences(out, "<init>(I)V"), "fences at the body's throw and return");
        Class<?> defined = define("gen/BodyFirst", out);
        InvocationTargetException e =
                assertThrows(InvocationTargetException.class, () -> defined.getConstructor(int.class)
                        .newInstance(-1));
        assertEquals(IllegalStateException.class, e.getCause().getClass());
        assertEquals(0, SlabTypes.of(defined).allocations(), "the failed constructor's segment given back");
    }

    /**
     * A subclass of a {@code @Slab} class in a class file before version 49 (Java 5), where {@code ldc} of a class
     * constant is illegal: its constructor's catch-all still verifies.
     */
    @Test
    void aJava14SubclassConstructorVerifies() throws Exception {
        String name = "gen/Old14";
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V1_4, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, name, null, ANNOTATED, null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "(J)V", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitVarInsn(Opcodes.LLOAD, 1);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, ANNOTATED, "<init>", "(J)V", false);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "copy", "()Ljava/lang/Object;", null, null); // the clone hook's too
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, ANNOTATED, "clone", "()Ljava/lang/Object;", false);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        assertVerifies(name, cw);
    }
}
