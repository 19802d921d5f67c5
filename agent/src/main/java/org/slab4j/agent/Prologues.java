package org.slab4j.agent;

import java.util.Map;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Which constructors of a class call other code, or may throw, before the {@code super(...)} or {@code this(...)} call
 * that initialises the instance (computing an argument, a Java 22+ prologue statement).
 * Called code may itself construct {@code @Slab} objects and so replace the allocation site that the {@code new}
 * expression left pending, and a throw would leave that site pending for the thread's next instance; those
 * constructors take the site on entry, into a local of their own, and hand it back just before the call that needs it
 * (see {@link ConstructorHooks}).
 */
final class Prologues {
    /**
     * @param callsOutOrThrows whether code before the initialising call invokes any method or has an instruction that
     *     may throw
     * @param initialisingCalls how many {@code super(...)} or {@code this(...)} calls the constructor's code has: one
     *     from any Java compiler, since the call is a single top-level statement
     */
    record Prologue(boolean callsOutOrThrows, int initialisingCalls) {}

    private Prologues() {}

    /**
     * @param what how the configuration error starts: the {@code @Slab} class or the subclass, named
     * @return the configuration error of a class with a constructor that initialises the instance in more than one
     *     place (which the agent's catch-all around the body cannot cover), or {@code null}
     */
    static String problem(Map<String, Prologue> prologues, String className, String what) {
        for (Map.Entry<String, Prologue> e : prologues.entrySet()) {
            if (e.getValue().initialisingCalls() > 1) {
                StringBuilder signature = new StringBuilder();
                for (Type t : Type.getArgumentTypes(e.getKey())) {
                    signature.append(signature.isEmpty() ? "" : ", ").append(t.getClassName());
                }
                return what + ": constructor " + className.replace('/', '.') + "(" + signature + ") calls super(...)"
                        + " or this(...) in " + e.getValue().initialisingCalls() + " places, which the agent cannot"
                        + " instrument; make it one call, as Java compilers emit it";
            }
        }
        return null;
    }

    /**
     * @return whether an expanded frame of a constructor is reached before its initialising call: a local holds
     *     {@code uninitializedThis} (the verifier's {@code flagThisUninit})
     */
    static boolean uninitialized(int numLocal, Object[] local) {
        for (int i = 0; i < numLocal; i++) {
            if (local[i] == Opcodes.UNINITIALIZED_THIS) {
                return true;
            }
        }
        return false;
    }

    /** Reads one constructor into {@code out}, under its descriptor. */
    static final class Scan extends MethodVisitor {
        private final String className;
        private final String descriptor;
        private final Map<String, Prologue> out;
        private int pendingNews;
        private boolean initialized;
        private int initialisingCalls;
        private boolean callsOutOrThrows;

        Scan(String className, String descriptor, Map<String, Prologue> out) {
            super(Opcodes.ASM9);
            this.className = className;
            this.descriptor = descriptor;
            this.out = out;
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
            if (initialisingCalls > 0) { // a block placed after the call may still run before it (a cold throw)
                initialized = !uninitialized(numLocal, local);
            }
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            if (opcode == Opcodes.NEW) {
                pendingNews++;
            }
            mayThrow(); // NEW, ANEWARRAY, CHECKCAST and INSTANCEOF may load a class, which may fail
        }

        @Override
        public void visitInsn(int opcode) {
            switch (opcode) {
                case Opcodes.IDIV, Opcodes.LDIV, Opcodes.IREM, Opcodes.LREM, Opcodes.ATHROW, Opcodes.ARRAYLENGTH ->
                    mayThrow();
                case Opcodes.MONITORENTER, Opcodes.MONITOREXIT -> mayThrow();
                default -> {
                    if (opcode >= Opcodes.IALOAD && opcode <= Opcodes.SALOAD
                            || opcode >= Opcodes.IASTORE && opcode <= Opcodes.SASTORE) {
                        mayThrow();
                    }
                }
            }
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            if (opcode == Opcodes.NEWARRAY) {
                mayThrow();
            }
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            // A null receiver, or a class that fails to initialise; but not the store of a field of the class's own
            // before the initialising call, which javac emits for captured variables and outer instances (this$0)
            if (opcode != Opcodes.PUTFIELD || !owner.equals(className)) {
                mayThrow();
            }
        }

        @Override
        public void visitLdcInsn(Object value) {
            if (!(value instanceof Number || value instanceof String)) {
                mayThrow(); // a class, method type, handle or dynamic constant is resolved, which may fail
            }
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
            mayThrow();
        }

        /** An instruction before the initialising call may throw, and so leave the pending site behind. */
        private void mayThrow() {
            callsOutOrThrows |= !initialized;
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            if (opcode == Opcodes.INVOKESPECIAL && name.equals("<init>") && pendingNews == 0) {
                initialized = true; // the same rule as ConstructorHooks'
                initialisingCalls++;
                return;
            }
            if (opcode == Opcodes.INVOKESPECIAL && name.equals("<init>")) {
                pendingNews--;
            }
            callsOutOrThrows |= !initialized;
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
            callsOutOrThrows |= !initialized;
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            out.put(descriptor, new Prologue(callsOutOrThrows, initialisingCalls));
        }
    }
}
