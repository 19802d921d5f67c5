package org.slab4j.agent;

import java.util.Arrays;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Instruments a {@code @Slab} class. In each constructor that calls {@code super(...)}, the {@code @SlabSegment}
 * field gets a segment from {@code SlabHooks.construct} right after that call; a constructor that delegates with
 * {@code this(...)} takes none. The rest of every constructor body runs inside a catch-all that gives the segment back
 * through {@code SlabHooks.constructorFailed} and rethrows. {@code close()} of an {@code AutoCloseable} class frees the
 * segment after its own body (also when that throws), and {@code super.clone()} gives the copy a segment of its own,
 * as does an override the agent adds for a {@code clone()} inherited from a superclass (or from {@code Object}, so that
 * no copy made by {@code Object.clone} escapes the hook). A {@code Serializable}
 * class gets its segment field made transient and its segment's bytes written after its own serial data by
 * {@code writeObject}, and read into a fresh segment by {@code readObject} (both added when the class has none). The
 * class also implements {@code Instrumented}: {@code Slabs.free} calls its added {@code slab4j$free}, which
 * takes the segment with a constant field handle; a {@code TRACKED} class also gets a field {@code slab4j$watch} in
 * which the runtime keeps the instance's leak-watching reference. Constructors and instance methods keep the instance
 * reachable until they return ({@link Fences}), so that a watched one is not reclaimed under its own code. The hooks get the class's type as a dynamic constant, so no hook
 * looks the class up. A misconfigured class
 * (see {@link SlabClassModel#problem()}) instead gets constructors that throw the configuration error first.
 */
final class SlabClassRewriter extends ClassVisitor {
    private final SlabClassModel model;
    private final String problem;
    private final Type self;
    private final MethodFacts facts;
    private final MethodHooks hooks;

    /**
     * @param facts what the transformer read of the class's methods
     */
    SlabClassRewriter(ClassVisitor next, SlabClassModel model, String problem, MethodFacts facts) {
        super(Opcodes.ASM9, next);
        this.model = model;
        this.problem = problem;
        this.facts = facts;
        this.self = Type.getObjectType(model.name);
        this.hooks = new MethodHooks(
                model.name, self, model.serializable(), model.serializable(), model.closesItself(), facts);
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
        String[] implemented = interfaces;
        if (problem == null) {
            implemented = interfaces == null ? new String[1] : Arrays.copyOf(interfaces, interfaces.length + 1);
            implemented[implemented.length - 1] = Hooks.INSTRUMENTED;
        }
        super.visit(version, access, name, signature, superName, implemented);
    }

    @Override
    public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
        boolean segment = problem == null && model.serializable() && name.equals(model.segmentField());
        return super.visitField(segment ? access | Opcodes.ACC_TRANSIENT : access, name, descriptor, signature, value);
    }

    @Override
    public void visitEnd() {
        if (problem == null && model.tracked()) {
            super.visitField(
                            Opcodes.ACC_PRIVATE | Opcodes.ACC_TRANSIENT | Opcodes.ACC_SYNTHETIC,
                            Hooks.WATCH,
                            "Ljava/lang/Object;",
                            null,
                            null)
                    .visitEnd();
        }
        if (problem == null) {
            freeMethod();
            for (String descriptor : model.inheritedClones()) {
                cloneMethod(Opcodes.ACC_PUBLIC, descriptor);
            }
            if (model.reachesObjectClone()) {
                cloneMethod(Opcodes.ACC_PROTECTED, "()Ljava/lang/Object;");
            }
        }
        if (problem == null && model.serializable()) {
            if (!model.declares("writeObject", MethodHooks.WRITE_OBJECT)) {
                serialMethod(
                        "writeObject", MethodHooks.WRITE_OBJECT, "java/io/ObjectOutputStream", "defaultWriteObject");
            }
            if (!model.declares("readObject", MethodHooks.READ_OBJECT)) {
                serialMethod("readObject", MethodHooks.READ_OBJECT, "java/io/ObjectInputStream", "defaultReadObject");
            }
        }
        super.visitEnd();
    }

    /**
     * {@code public void slab4j$free(boolean quiet)} of {@code Instrumented}: {@code SlabHooks.release(this, TYPE,
     * (MemorySegment) SEGMENT.getAndSet(this, MemorySegment.NULL), quiet)}, where TYPE and SEGMENT are dynamic
     * constants of this class.
     */
    private void freeMethod() {
        MethodVisitor mv = super.visitMethod(
                Opcodes.ACC_PUBLIC | Opcodes.ACC_SYNTHETIC, Hooks.FREE, Hooks.FREE_DESCRIPTOR, null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitLdcInsn(Hooks.TYPE);
        mv.visitLdcInsn(Hooks.segmentHandle(model.name, model.segmentField()));
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitFieldInsn(Opcodes.GETSTATIC, "java/lang/foreign/MemorySegment", "NULL", SlabClassModel.MEMORY_SEGMENT);
        mv.visitMethodInsn(
                Opcodes.INVOKEVIRTUAL,
                "java/lang/invoke/VarHandle",
                "getAndSet",
                "(" + self.getDescriptor() + SlabClassModel.MEMORY_SEGMENT + ")" + SlabClassModel.MEMORY_SEGMENT,
                false);
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, Hooks.SLABS, "release", Hooks.RELEASE, false);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /**
     * {@code T clone()} for a {@code clone()} the class inherits, from a superclass below {@code Object} ({@code
     * public}) or from {@code Object} itself ({@code protected}, as there): {@code T copy = super.clone();
     * SlabHooks.cloned(copy, this, C.class); return copy;}, so that the copy gets a segment of its own, also when a
     * subclass that declares no {@code clone()} either is cloned.
     */
    private void cloneMethod(int access, String descriptor) {
        MethodVisitor mv = super.visitMethod(access | Opcodes.ACC_SYNTHETIC, "clone", descriptor, null, new String[] {
            "java/lang/CloneNotSupportedException"
        });
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, model.superName, "clone", descriptor, false);
        mv.visitInsn(Opcodes.DUP);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitLdcInsn(self);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, Hooks.SLABS, "cloned", Hooks.CLONED, false);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private void serialMethod(String name, String descriptor, String stream, String defaultMethod) {
        MethodVisitor mv = new MethodHooks.Serial(
                super.visitMethod(Opcodes.ACC_PRIVATE, name, descriptor, null, new String[] {"java/io/IOException"}),
                self,
                name.equals("readObject"),
                0,
                1);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 1);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, stream, defaultMethod, "()V", false);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    @Override
    public MethodVisitor visitMethod(
            int access, String name, String descriptor, String signature, String[] exceptions) {
        MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
        if (next == null || (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
            return next;
        }
        if (problem != null) {
            return name.equals("<init>") ? new Misconfigured(next, problem) : next;
        }
        if (name.equals("<init>")) {
            return new ConstructorHooks(
                    next,
                    model.name,
                    self,
                    model.segmentField(),
                    facts.prologues().get(descriptor),
                    !"java/lang/Object".equals(model.superName),
                    facts.fenced(name, descriptor),
                    facts.firstFree(name, descriptor));
        }
        return hooks.of(access, name, descriptor, next);
    }

    /** A constructor of a misconfigured class: it throws the configuration error first. */
    static final class Misconfigured extends MethodVisitor {
        private final String problem;

        /** @param problem the configuration error's message */
        Misconfigured(MethodVisitor next, String problem) {
            super(Opcodes.ASM9, next);
            this.problem = problem;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            super.visitLdcInsn(problem);
            super.visitMethodInsn(
                    Opcodes.INVOKESTATIC, Hooks.SLABS, "configurationError", "(Ljava/lang/String;)V", false);
        }
    }

    /**
     * Gives the copy that a {@code super.clone()} call returns a segment of its own (once: the hook leaves a copy alone
     * that an inner {@code super.clone()} already gave one). In a class without {@code @Slab} that extends none
     * ({@code slabType} {@code null}), which may yet be the ancestor of one, the hook first asks whether the copy is an
     * instance of a {@code @Slab} class.
     */
    static final class Clones extends MethodVisitor {
        private final String className;
        private final Type slabType;

        /**
         * @param className the class whose method this is
         * @param slabType the {@code @Slab} class whose segment the instance has (the class itself, or its ancestor), or
         *     {@code null} for a class that is neither
         */
        Clones(MethodVisitor next, String className, Type slabType) {
            super(Opcodes.ASM9, next);
            this.className = className;
            this.slabType = slabType;
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            // super.clone(), whichever type it returns (a superclass may declare a covariant clone())
            boolean superClone = opcode == Opcodes.INVOKESPECIAL
                    && name.equals("clone")
                    && descriptor.startsWith("()L")
                    && !owner.equals(className);
            if (superClone) {
                super.visitInsn(Opcodes.DUP); // the receiver, for the hook (not local 0, which code may reuse)
            }
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            if (superClone) { // receiver, copy -> copy, copy, receiver
                super.visitInsn(Opcodes.DUP_X1);
                super.visitInsn(Opcodes.SWAP);
                if (slabType == null) {
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, Hooks.SLABS, "clonedAny", Hooks.CLONED_ANY, false);
                } else {
                    super.visitLdcInsn(slabType);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, Hooks.SLABS, "cloned", Hooks.CLONED, false);
                }
            }
        }
    }
}
