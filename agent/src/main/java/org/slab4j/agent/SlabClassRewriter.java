package org.slab4j.agent;

import java.util.Arrays;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.Label;
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
    private final Map<String, Prologues.Prologue> prologues;
    private final MethodFacts facts;
    private final MethodHooks hooks;

    /**
     * @param prologues the class's constructors, as {@link Prologues#of} read them
     * @param facts what the transformer read of the class's methods
     */
    SlabClassRewriter(
            ClassVisitor next,
            SlabClassModel model,
            String problem,
            Map<String, Prologues.Prologue> prologues,
            MethodFacts facts) {
        super(Opcodes.ASM9, next);
        this.model = model;
        this.problem = problem;
        this.prologues = prologues;
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
            return new Constructor(
                    next,
                    model.name,
                    self,
                    model.segmentField(),
                    prologues.get(descriptor),
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
     * A constructor of a class whose instances get a segment: after the {@code super(...)} or {@code this(...)} call
     * that initialises the instance, the segment is taken (if {@code segmentField} is given and the call was
     * {@code super(...)}), and the rest of the body runs in a catch-all that gives it back through
     * {@code SlabHooks.constructorFailed} and rethrows. A constructor whose prologue calls other code (see
     * {@link Prologues}) takes the pending allocation site on entry into a local of its own (added to every stack map
     * frame) and hands it back just before the constructor or segment hook that takes it. After the initialising call,
     * each {@code return} and {@code throw} keeps the instance reachable until then, as {@link Fences} does in methods.
     */
    static final class Constructor extends MethodVisitor {
        private final String className;
        private final Type slabType;
        private final String segmentField;
        /** The local that keeps the pending site, or -1 when the site can stay pending. */
        private final int siteLocal;
        /** The first slot past the constructor's own locals: the pending site's, then the copy of {@code this}. */
        private final int firstFree;
        /** The local that holds a copy of {@code this} after the initialising call (see {@link SpareLocals}). */
        private final int self;

        private final boolean fenced;

        private final Label bodyStart = new Label();
        private final Label giveBack = new Label();
        private int pendingNews;
        private boolean initialized;

        /**
         * @param className the class whose constructor this is
         * @param slabType the {@code @Slab} class whose segment the instance gets (the class itself, or its ancestor)
         * @param segmentField the {@code @SlabSegment} field to set after {@code super(...)}, or {@code null} in a
         *     subclass of a {@code @Slab} class, whose ancestor's constructor sets it
         * @param prologue what the constructor does before the initialising call, or {@code null} if not known
         * @param superCallsOut whether the superclass constructor may run other code before the segment is taken
         * @param fenced whether the body keeps the instance reachable until it returns or throws ({@link Fences})
         * @param firstFree the first slot past the locals the constructor uses
         */
        Constructor(
                MethodVisitor next,
                String className,
                Type slabType,
                String segmentField,
                Prologues.Prologue prologue,
                boolean superCallsOut,
                boolean fenced,
                int firstFree) {
            super(Opcodes.ASM9, next);
            this.className = className;
            this.slabType = slabType;
            this.segmentField = segmentField;
            this.fenced = fenced;
            boolean keep = prologue != null && (prologue.callsOutOrThrows() || (segmentField != null && superCallsOut));
            SpareLocals.checkRoom(firstFree, 2);
            this.firstFree = firstFree;
            this.siteLocal = keep ? firstFree : -1;
            this.self = firstFree + 1;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            if (siteLocal >= 0) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, Hooks.SLABS, "takeSite", "()I", false);
                super.visitVarInsn(Opcodes.ISTORE, siteLocal);
            }
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
            // The site is kept from the entry on, the copy of this from the initialising call on; no code before that
            // call is reached from after it (uninitializedThis would not merge with the instance). A frame declares
            // no slot that no instruction writes: COMPUTE_MAXS counts a frame's entries, not its slots (a long is one
            // entry, two slots), so a constructor that never initialises this would get too small a max_locals.
            Object[] locals;
            if (initialized) {
                locals = SpareLocals.extend(
                        numLocal, local, firstFree, siteLocal >= 0 ? Opcodes.INTEGER : Opcodes.TOP, className);
            } else if (siteLocal >= 0) {
                locals = SpareLocals.extend(numLocal, local, firstFree, Opcodes.INTEGER);
            } else {
                locals = Arrays.copyOf(local, numLocal);
            }
            super.visitFrame(type, locals.length, locals, numStack, stack);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            if (opcode == Opcodes.NEW && !initialized) {
                pendingNews++;
            }
            super.visitTypeInsn(opcode, type);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            boolean initializing = !initialized && opcode == Opcodes.INVOKESPECIAL && name.equals("<init>");
            if (initializing && pendingNews > 0) {
                pendingNews--;
                initializing = false;
            }
            boolean takesSegment = initializing && segmentField != null && !owner.equals(className);
            if (initializing && !takesSegment) {
                restoreSite(); // the constructor called next takes it
            }
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            if (!initializing) {
                return;
            }
            initialized = true;
            if (takesSegment) {
                restoreSite();
                super.visitVarInsn(Opcodes.ALOAD, 0);
                super.visitVarInsn(Opcodes.ALOAD, 0);
                super.visitLdcInsn(Hooks.TYPE);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, Hooks.SLABS, "construct", Hooks.CONSTRUCT, false);
                super.visitFieldInsn(Opcodes.PUTFIELD, className, segmentField, SlabClassModel.MEMORY_SEGMENT);
            }
            super.visitVarInsn(Opcodes.ALOAD, 0); // the initialising call turned uninitializedThis into the instance
            super.visitVarInsn(Opcodes.ASTORE, self);
            super.visitLabel(bodyStart);
        }

        @Override
        public void visitInsn(int opcode) {
            // Before the initialising call, this may not be passed anywhere.
            if (fenced && initialized && (opcode == Opcodes.RETURN || opcode == Opcodes.ATHROW)) {
                Fences.fence(mv, self);
            }
            super.visitInsn(opcode);
        }

        private void restoreSite() {
            if (siteLocal >= 0) {
                super.visitVarInsn(Opcodes.ILOAD, siteLocal);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, Hooks.SLABS, "enterSite", "(I)V", false);
            }
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            if (initialized) {
                super.visitLabel(giveBack);
                // Local 0 as TOP, since the body's frames may declare it dead: the handler takes the copy.
                Object[] locals = SpareLocals.extend(1, new Object[] {Opcodes.TOP}, firstFree, Opcodes.TOP, className);
                super.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {"java/lang/Throwable"});
                super.visitVarInsn(Opcodes.ALOAD, self);
                super.visitLdcInsn(slabType);
                super.visitMethodInsn(
                        Opcodes.INVOKESTATIC, Hooks.SLABS, "constructorFailed", Hooks.OBJECT_CLASS, false);
                super.visitInsn(Opcodes.ATHROW);
                super.visitTryCatchBlock(bodyStart, giveBack, giveBack, "java/lang/Throwable");
            }
            super.visitMaxs(maxStack, maxLocals);
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
