package org.slab4j.agent;

import static org.junit.jupiter.api.Assertions.assertNotNull;

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

/** Class files written with ASM for the transformer's tests, and what the tests check of them once instrumented. */
final class GeneratedClasses {
    private static final ClassLoader loader = GeneratedClasses.class.getClassLoader();

    private GeneratedClasses() {}

    /**
     * Emits: if {@code Boolean.TRUE} is not null, return (a value, for {@code ARETURN}); else, after a frame of
     * {@code locals}, return. With {@code locals} declaring {@code this} dead, no instruction there may load it.
     */
    static void deadBranch(MethodVisitor mv, int returnOpcode, Object[] locals) {
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
    static int fences(byte[] classFile, String method) {
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
     * @return a writer holding a {@code @Slab} class {@code name} implementing {@code interfaces}, with its segment field
     *     and a constructor
     */
    static ClassWriter slabClass(String name, String... interfaces) {
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
    static byte[] assertVerifies(String name, ClassWriter cw) throws Exception {
        cw.visitEnd();
        byte[] transformed = new SlabTransformer(AgentOptions.parse(null, new Properties(), Map.of()), null)
                .transform(loader, name, null, null, cw.toByteArray());
        assertNotNull(transformed, "left as it is");
        Class<?> defined = define(name, transformed);
        assertNotNull(Class.forName(defined.getName(), true, defined.getClassLoader()), "initialised, so verified");
        return transformed;
    }

    /** @return class {@code name} defined from {@code classFile} in a loader of its own */
    static Class<?> define(String name, byte[] classFile) {
        return new ClassLoader(loader) {
            Class<?> define() {
                return defineClass(name.replace('/', '.'), classFile, 0, classFile.length);
            }
        }.define();
    }

    /**
     * Emits {@code count} cases {@code if (i == k) return 1;} over the method's {@code int} parameter {@code i} (local 1),
     * 9 bytes each, each followed by a frame that declares {@code this} as {@code thisType} ({@code TOP}: dead).
     */
    static void returnCases(MethodVisitor mv, int count, Object thisType) {
        for (int k = 0; k < count; k++) {
            Label next = new Label();
            mv.visitVarInsn(Opcodes.ILOAD, 1);
            mv.visitIntInsn(Opcodes.SIPUSH, k);
            mv.visitJumpInsn(Opcodes.IF_ICMPNE, next);
            mv.visitInsn(Opcodes.ICONST_1);
            mv.visitInsn(Opcodes.IRETURN);
            mv.visitLabel(next);
            mv.visitFrame(Opcodes.F_FULL, 2, new Object[] {thisType, Opcodes.INTEGER}, 0, new Object[0]);
        }
    }
}
