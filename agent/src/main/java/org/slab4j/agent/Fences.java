package org.slab4j.agent;

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
 * <p>A fence loads the copy of {@code this} that {@link SpareLocals} keeps, never local 0, which code may reuse and
 * frames may declare dead. A method that fences would push past the 64 KiB limit goes unfenced: the transformer retries
 * the class without that method's fences.
 */
final class Fences extends MethodVisitor {
    private static final String FENCE = "reachabilityFence";

    /** The local that holds a copy of {@code this}. */
    private final int self;

    /** @param self the local that holds a copy of {@code this} from the method's entry on */
    Fences(MethodVisitor next, int self) {
        super(Opcodes.ASM9, next);
        this.self = self;
    }

    @Override
    public void visitInsn(int opcode) {
        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN || opcode == Opcodes.ATHROW) {
            fence(mv, self);
        }
        super.visitInsn(opcode);
    }

    /** Emits {@code Reference.reachabilityFence(local)} into {@code mv}. */
    static void fence(MethodVisitor mv, int local) {
        mv.visitVarInsn(Opcodes.ALOAD, local);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/ref/Reference", FENCE, "(Ljava/lang/Object;)V", false);
    }
}
