package org.slab4j.agent;

import java.util.Map;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Instruments a class that extends a {@code @Slab} class without carrying {@code @Slab} itself. Its instances get their
 * segment from the {@code @Slab} ancestor's constructor, so here each constructor only runs the rest of its body in
 * the catch-all that gives the segment back when it throws, and {@code super.clone()} gives the copy a segment of its
 * own, as in the {@code @Slab} class itself (see {@link SlabClassRewriter}).
 */
final class SlabSubclassRewriter extends ClassVisitor {
    private final Type slabType;
    private final Map<String, Prologues.Prologue> prologues;
    private String className;

    /**
     * @param slabType the internal name of the {@code @Slab} ancestor
     * @param prologues the class's constructors, as {@link Prologues#of} read them
     */
    SlabSubclassRewriter(ClassVisitor next, String slabType, Map<String, Prologues.Prologue> prologues) {
        super(Opcodes.ASM9, next);
        this.slabType = Type.getObjectType(slabType);
        this.prologues = prologues;
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
        className = name;
        super.visit(version, access, name, signature, superName, interfaces);
    }

    @Override
    public MethodVisitor visitMethod(
            int access, String name, String descriptor, String signature, String[] exceptions) {
        MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
        if (next == null || (access & Opcodes.ACC_ABSTRACT) != 0) {
            return next;
        }
        return name.equals("<init>")
                ? new SlabClassRewriter.Constructor(next, className, slabType, null, prologues.get(descriptor), false)
                : new SlabClassRewriter.Clones(next, className, slabType);
    }
}
