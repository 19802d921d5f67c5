package org.slab4j.agent;

import java.util.HashSet;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Keeps an instance of a {@code @Slab} class (or a subclass) reachable until each {@code return} and {@code throw} of
 * its own instance methods: {@code Reference.reachabilityFence(this)} before each. Once compiled, {@code this} is dead
 * after its last use (JLS 12.6.1), typically the load of the segment field; a watched instance that nothing else holds
 * could then be collected, and the reclaimer would free its segment (and hand it to another instance) while the method
 * still reads and writes it. The {@code java.nio} direct buffers fence their accessors for the same reason. A fence
 * costs no instruction once compiled; it only keeps the reference alive.
 *
 * <p>A fence goes only where the verifier lets local 0 be loaded: not in a method whose code stores a primitive into it
 * (which no Java compiler emits, but other bytecode may; {@link #reusingThis}), nor after a stack map frame that
 * declares it dead, as a liveness-based preverifier (ProGuard's) writes them ({@link #holdsReference}). Nor in a method
 * that fences would push past the 64 KiB limit: the transformer then leaves that one method unfenced.
 */
final class Fences extends MethodVisitor {
    private static final String FENCE = "reachabilityFence";

    /** Whether local 0 holds a reference at the current instruction, as the last stack map frame (or entry) says. */
    private boolean loadable = true;

    Fences(MethodVisitor next) {
        super(Opcodes.ASM9, next);
    }

    /** @return whether an expanded frame's local 0 holds an initialised reference, which a fence may load */
    static boolean holdsReference(int numLocal, Object[] local) {
        return numLocal > 0 && (local[0] instanceof String || local[0] == Opcodes.NULL);
    }

    /**
     * @return the fenced visitor of an instance method with code, or {@code next} itself for a static, abstract or native
     *     one, a constructor (whose fences {@link SlabClassRewriter.Constructor} places after the initialising call), or
     *     one of {@code unfenced}
     */
    static MethodVisitor of(int access, String name, String descriptor, MethodVisitor next, Set<String> unfenced) {
        boolean codeOfAnInstance = (access & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0;
        return codeOfAnInstance && !name.equals("<init>") && !unfenced.contains(name + descriptor)
                ? new Fences(next)
                : next;
    }

    /** @return whether the class declares method {@code name + descriptor} as an instance method with code */
    static boolean instanceCode(ClassReader reader, String name, String descriptor) {
        boolean[] found = new boolean[1];
        reader.accept(
                new ClassVisitor(Opcodes.ASM9) {
                    @Override
                    public MethodVisitor visitMethod(
                            int access, String method, String desc, String signature, String[] exceptions) {
                        int noCode = Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE;
                        found[0] |= method.equals(name) && desc.equals(descriptor) && (access & noCode) == 0;
                        return null;
                    }
                },
                ClassReader.SKIP_CODE);
        return found[0];
    }

    /** @return the methods of the class ({@code name + descriptor}) whose code stores a primitive into local 0 */
    static Set<String> reusingThis(ClassReader reader) {
        Set<String> out = new HashSet<>();
        reader.accept(
                new ClassVisitor(Opcodes.ASM9) {
                    @Override
                    public MethodVisitor visitMethod(
                            int access, String name, String descriptor, String signature, String[] exceptions) {
                        String method = name + descriptor;
                        return new MethodVisitor(Opcodes.ASM9) {
                            @Override
                            public void visitVarInsn(int opcode, int var) {
                                if (var == 0 && opcode != Opcodes.ASTORE && opcode >= Opcodes.ISTORE) {
                                    out.add(method);
                                }
                            }

                            @Override
                            public void visitIincInsn(int var, int increment) {
                                if (var == 0) {
                                    out.add(method);
                                }
                            }
                        };
                    }
                },
                ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return out;
    }

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        loadable = holdsReference(numLocal, local); // expanded frames (ClassReader.EXPAND_FRAMES): every local
        super.visitFrame(type, numLocal, local, numStack, stack);
    }

    @Override
    public void visitVarInsn(int opcode, int var) {
        loadable |= opcode == Opcodes.ASTORE && var == 0;
        super.visitVarInsn(opcode, var);
    }

    @Override
    public void visitInsn(int opcode) {
        if (loadable && (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN || opcode == Opcodes.ATHROW)) {
            fence(mv);
        }
        super.visitInsn(opcode);
    }

    /** Emits {@code Reference.reachabilityFence(this)} into {@code mv}. */
    static void fence(MethodVisitor mv) {
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/ref/Reference", FENCE, "(Ljava/lang/Object;)V", false);
    }
}
