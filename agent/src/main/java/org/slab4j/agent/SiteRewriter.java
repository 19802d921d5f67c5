package org.slab4j.agent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
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
    private final SiteIds ids;

    /**
     * The ids of a class's sites in the order its rewrite meets them: registered by the first rewrite, and the same
     * ids again when the transformer rewrites the class once more (a method too large for its fences), so that each
     * {@code new} expression has one site.
     */
    static final class SiteIds {
        private final ClassLoader loader;
        private final List<Integer> ids = new ArrayList<>();
        private int next;

        /** @param loader the class's loader, which the sites live as long as */
        SiteIds(ClassLoader loader) {
            this.loader = loader;
        }

        /** Starts a rewrite of the class: its sites come in the same order as in the one before. */
        void rewind() {
            next = 0;
        }

        int id(String slabType, String location) {
            if (next == ids.size()) {
                ids.add(SlabHooks.registerSite(loader, slabType, location));
            }
            return ids.get(next++);
        }
    }

    /**
     * @param slabTypes the classes this class constructs whose instances get segments (internal names), each with the
     *     {@code @Slab} class it is or extends
     * @param ids the class's site ids, {@link SiteIds#rewind() rewound}
     */
    SiteRewriter(ClassVisitor next, Map<String, String> slabTypes, SiteIds ids) {
        super(next);
        this.slabTypes = slabTypes;
        this.ids = ids;
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
                    super.visitLdcInsn(ids.id(slabType.replace('/', '.'), location));
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, Hooks.SLABS, "enterSite", "(I)V", false);
                }
            }
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        }
    }
}
