package org.slab4j.agent;

import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * The hooks in the methods (not the constructors) of a {@code @Slab} class or a subclass. Each instance method gets its
 * clone hooks ({@link SlabClassRewriter.Clones}) and its reachability fences ({@link Fences}); {@code close()} of an
 * {@code AutoCloseable} class gives the segment back; {@code readResolve()} of a {@code Serializable} class gives back
 * the segment of an instance it replaces; and {@code writeObject}/{@code readObject} of the {@code Serializable}
 * {@code @Slab} class itself write and read the segment's bytes after the class's own serial data. Every hook loads
 * {@code this} (and the stream) from the copies that {@link SpareLocals} keeps. A static method of those names is a
 * helper of the class, not the instance's hook.
 */
final class MethodHooks {
    static final String WRITE_OBJECT = "(Ljava/io/ObjectOutputStream;)V";
    static final String READ_OBJECT = "(Ljava/io/ObjectInputStream;)V";
    private static final String WRITE_SEGMENT = "(Ljava/lang/Object;Ljava/io/ObjectOutputStream;)V";
    private static final String READ_SEGMENT = "(Ljava/lang/Object;Ljava/lang/Class;Ljava/io/ObjectInputStream;)V";
    private static final String RESOLVE = "()Ljava/lang/Object;";

    private final String className;
    private final Type slabType;
    private final boolean serialData;
    private final boolean serializable;
    private final boolean closeable;
    private final MethodFacts facts;

    /**
     * @param className the class whose methods these are
     * @param slabType the {@code @Slab} class whose segment the instances have (the class itself, or its ancestor), or
     *     {@code null} where the class file cannot load a class constant (before version 49): the clone hook then finds
     *     it from the copy
     * @param serialData whether the class is the {@code Serializable} {@code @Slab} class, whose serial data carries
     *     the segment's bytes
     * @param serializable whether the class is {@code Serializable}, itself or through a supertype
     * @param closeable whether the {@code @Slab} class is {@code AutoCloseable}, itself or through a supertype
     * @param facts what the transformer read of the class's methods
     */
    MethodHooks(
            String className,
            Type slabType,
            boolean serialData,
            boolean serializable,
            boolean closeable,
            MethodFacts facts) {
        this.className = className;
        this.slabType = slabType;
        this.serialData = serialData;
        this.serializable = serializable;
        this.closeable = closeable;
        this.facts = facts;
    }

    /**
     * @param next the writer's visitor of the method
     * @return the visitor of method {@code name}, an instance or static method with code
     */
    MethodVisitor of(int access, String name, String descriptor, MethodVisitor next) {
        boolean instance = (access & Opcodes.ACC_STATIC) == 0;
        String stream = null;
        if (instance && serialData && name.equals("writeObject") && descriptor.equals(WRITE_OBJECT)) {
            stream = "java/io/ObjectOutputStream";
        } else if (instance && serialData && name.equals("readObject") && descriptor.equals(READ_OBJECT)) {
            stream = "java/io/ObjectInputStream";
        }
        boolean resolve = instance && serializable && name.equals("readResolve") && descriptor.equals(RESOLVE);
        boolean close = instance && closeable && name.equals("close") && descriptor.equals("()V");
        boolean fenced = facts.fenced(name, descriptor);
        if (!instance || !fenced && stream == null && !resolve && !close) {
            return new SlabClassRewriter.Clones(next, className, slabType);
        }
        int firstFree = facts.firstFree(name, descriptor);
        MethodVisitor spares = stream == null
                ? new SpareLocals(next, firstFree, className)
                : new SpareLocals(next, firstFree, className, stream);
        MethodVisitor hooked =
                new SlabClassRewriter.Clones(fenced ? new Fences(spares, firstFree) : spares, className, slabType);
        if (stream != null) {
            return new Serial(hooked, slabType, stream.endsWith("InputStream"), firstFree, firstFree + 1);
        }
        if (resolve) {
            return new Resolve(hooked, firstFree);
        }
        return close ? new Close(hooked, firstFree) : hooked;
    }

    /**
     * {@code writeObject}/{@code readObject} of a {@code Serializable} {@code @Slab} class: the segment's bytes are
     * written, or read into a fresh segment, before each {@code return}.
     */
    static final class Serial extends MethodVisitor {
        private final Type slabType;
        private final boolean read;
        private final int self;
        private final int stream;

        /**
         * @param read whether this is {@code readObject}
         * @param self the local holding {@code this}
         * @param stream the local holding the object stream
         */
        Serial(MethodVisitor next, Type slabType, boolean read, int self, int stream) {
            super(Opcodes.ASM9, next);
            this.slabType = slabType;
            this.read = read;
            this.self = self;
            this.stream = stream;
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode == Opcodes.RETURN) {
                super.visitVarInsn(Opcodes.ALOAD, self);
                if (read) {
                    super.visitLdcInsn(slabType);
                    super.visitVarInsn(Opcodes.ALOAD, stream);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, Hooks.SLABS, "readSegment", READ_SEGMENT, false);
                } else {
                    super.visitVarInsn(Opcodes.ALOAD, stream);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, Hooks.SLABS, "writeSegment", WRITE_SEGMENT, false);
                }
            }
            super.visitInsn(opcode);
        }
    }

    /**
     * {@code readResolve()}: when it returns another object than the one just deserialized, that one is dropped, and the
     * segment it was given goes back.
     */
    private static final class Resolve extends MethodVisitor {
        private final int self;

        Resolve(MethodVisitor next, int self) {
            super(Opcodes.ASM9, next);
            this.self = self;
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode == Opcodes.ARETURN) {
                super.visitInsn(Opcodes.DUP);
                super.visitVarInsn(Opcodes.ALOAD, self);
                super.visitMethodInsn(
                        Opcodes.INVOKESTATIC,
                        Hooks.SLABS,
                        "resolved",
                        "(Ljava/lang/Object;Ljava/lang/Object;)V",
                        false);
            }
            super.visitInsn(opcode);
        }
    }

    /**
     * {@code close()}: the segment goes back after the body, also when the body throws (quietly if the body already gave
     * it back, through {@code super.close()} or {@code Slabs.free}).
     */
    private static final class Close extends MethodVisitor {
        private final Label bodyStart = new Label();
        private final Label giveBack = new Label();
        private final int self;

        Close(MethodVisitor next, int self) {
            super(Opcodes.ASM9, next);
            this.self = self;
        }

        @Override
        public void visitCode() {
            super.visitCode(); // SpareLocals copies this here, before the body
            super.visitLabel(bodyStart);
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode == Opcodes.RETURN) {
                closed();
            }
            super.visitInsn(opcode);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitLabel(giveBack);
            // Local 0 as TOP, since the body's frames may declare it dead; SpareLocals appends the copy.
            super.visitFrame(Opcodes.F_NEW, 1, new Object[] {Opcodes.TOP}, 1, new Object[] {"java/lang/Throwable"});
            closed();
            super.visitInsn(Opcodes.ATHROW);
            super.visitTryCatchBlock(bodyStart, giveBack, giveBack, "java/lang/Throwable");
            super.visitMaxs(maxStack, maxLocals);
        }

        private void closed() {
            super.visitVarInsn(Opcodes.ALOAD, self);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, Hooks.SLABS, "closed", "(Ljava/lang/Object;)V", false);
        }
    }
}
