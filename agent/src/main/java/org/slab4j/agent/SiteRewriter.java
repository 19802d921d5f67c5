package org.slab4j.agent;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.slab4j.internal.type.SlabHooks;

/**
 * Rewrites each {@code new C(...)} of a {@code @Slab} class C, or of a subclass of one: the site (class, method, line)
 * is registered now, as a site of the {@code @Slab} class whose segment the instance gets, and its constant id is
 * handed to {@code SlabHooks.enterSite} just before the constructor call, so that the {@code @Slab} class's constructor
 * hook can attribute the allocation without a stack walk.
 */
final class SiteRewriter extends MethodRewriter {
    private final Map<String, String> slabTypes;
    private final ClassLoader loader;

    /**
     * @param slabTypes the classes this class constructs whose instances get segments (internal names), each with the
     *     {@code @Slab} class it is or extends
     * @param loader the class's loader, which its sites live as long as (a rewrite again gets the same ids: one site
     *     per label)
     */
    SiteRewriter(ClassVisitor next, Map<String, String> slabTypes, ClassLoader loader) {
        super(next);
        this.slabTypes = slabTypes;
        this.loader = loader;
    }

    @Override
    MethodVisitor rewrite(int access, String name, String descriptor, MethodVisitor next) {
        return new Sites(next, name);
    }

    private final class Sites extends MethodVisitor {
        private final String method;
        private final Deque<String> pendingNews = new ArrayDeque<>();
        private int line = -1;

        Sites(MethodVisitor next, String method) {
            super(Opcodes.ASM9, next);
            this.method = method;
        }

        @Override
        public void visitLineNumber(int line, Label start) {
            this.line = line;
            super.visitLineNumber(line, start);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            if (opcode == Opcodes.NEW) {
                pendingNews.push(type);
            }
            super.visitTypeInsn(opcode, type);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            if (opcode == Opcodes.INVOKESPECIAL
                    && name.equals("<init>")
                    && !pendingNews.isEmpty()
                    && pendingNews.peek().equals(owner)) {
                pendingNews.pop();
                String slabType = slabTypes.get(owner);
                if (slabType != null) {
                    String location = className.replace('/', '.') + "." + method + ":" + line;
                    super.visitLdcInsn(SlabHooks.registerSite(loader, slabType.replace('/', '.'), location));
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, Hooks.SLABS, "enterSite", "(I)V", false);
                }
            }
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        }
    }
}
