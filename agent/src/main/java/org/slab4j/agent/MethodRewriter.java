package org.slab4j.agent;

import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/** A class visitor that knows the class's name and wraps the visitor of each method it passes on. */
abstract class MethodRewriter extends ClassVisitor {
    /** The internal name of the class being rewritten, known from {@link #visit} on. */
    protected String className;
    /** The class file's version (the major version in the low 16 bits), known from {@link #visit} on. */
    protected int version;

    MethodRewriter(ClassVisitor next) {
        super(Opcodes.ASM9, next);
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
        className = name;
        this.version = version;
        super.visit(version, access, name, signature, superName, interfaces);
    }

    @Override
    public final MethodVisitor visitMethod(
            int access, String name, String descriptor, String signature, String[] exceptions) {
        MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
        return next == null ? null : rewrite(access, name, descriptor, next);
    }

    /** @return the visitor of method {@code name}, wrapping {@code next}, or {@code next} itself to leave it alone */
    abstract MethodVisitor rewrite(int access, String name, String descriptor, MethodVisitor next);
}
