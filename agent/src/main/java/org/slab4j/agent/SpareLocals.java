package org.slab4j.agent;

import java.util.Arrays;
import java.util.Map;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Copies of a method's first locals ({@code this}, and a serial method's stream) in slots of their own past the
 * method's, for the hooks to load. The originals may not be loadable where a hook needs them: code may store something
 * else into their slots, and a liveness-based preverifier (ProGuard's) declares them dead (TOP) in the stack map frames
 * after their last use. The copies are made on entry, and every frame of the method gets their types appended, so that
 * the verifier knows them at every instruction.
 *
 * <p>Frames are expanded ({@code ClassReader.EXPAND_FRAMES}): one entry per local, a {@code long} or {@code double}
 * covering two slots. A constructor copies {@code this} after its initialising call instead (see
 * {@link ConstructorHooks}), and extends its frames with {@link #extend}.
 */
final class SpareLocals extends MethodVisitor {
    private final int first;
    private final Object[] types;

    /**
     * @param first the first slot past the locals the method uses, where the copy of local 0 goes
     * @param types the verifier types (internal names) of locals 0, 1, ... to copy into slots {@code first}, {@code
     *     first + 1}, ...
     */
    SpareLocals(MethodVisitor next, int first, Object... types) {
        super(Opcodes.ASM9, next);
        checkRoom(first, types.length);
        this.first = first;
        this.types = types;
    }

    /**
     * Reads the first slot past the locals a method uses: its parameters, and the slots its instructions, stack map
     * frames and local variable table name. Not its declared {@code max_locals}, which may be larger, up to the 65,535
     * that leave no slot for a copy. Passes everything on to {@code next}.
     */
    static final class SlotScan extends MethodVisitor {
        private final String method;
        private final Map<String, Integer> out;
        private int used;

        /**
         * @param method the method's {@code name + descriptor}, its key in {@code out}
         * @param parameters the slots of its parameters, {@code this} included
         */
        SlotScan(MethodVisitor next, String method, int parameters, Map<String, Integer> out) {
            super(Opcodes.ASM9, next);
            this.method = method;
            this.out = out;
            this.used = parameters;
        }

        @Override
        public void visitVarInsn(int opcode, int var) {
            boolean wide = opcode == Opcodes.LLOAD
                    || opcode == Opcodes.DLOAD
                    || opcode == Opcodes.LSTORE
                    || opcode == Opcodes.DSTORE;
            used = Math.max(used, var + (wide ? 2 : 1));
            super.visitVarInsn(opcode, var);
        }

        @Override
        public void visitIincInsn(int var, int increment) {
            used = Math.max(used, var + 1);
            super.visitIincInsn(var, increment);
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
            used = Math.max(used, slots(numLocal, local));
            super.visitFrame(type, numLocal, local, numStack, stack);
        }

        @Override
        public void visitLocalVariable(String n, String desc, String sig, Label start, Label end, int index) {
            used = Math.max(used, index + Type.getType(desc).getSize());
            super.visitLocalVariable(n, desc, sig, start, end, index);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            out.put(method, used);
            super.visitMaxs(maxStack, maxLocals);
        }
    }

    /** @return the slots that the locals of an expanded frame cover, a {@code long} or {@code double} two */
    private static int slots(int numLocal, Object[] local) {
        int slots = 0;
        for (int i = 0; i < numLocal; i++) {
            slots += local[i] == Opcodes.LONG || local[i] == Opcodes.DOUBLE ? 2 : 1;
        }
        return slots;
    }

    /** @throws IllegalStateException if {@code count} locals from {@code first} on pass the class file's limit */
    static void checkRoom(int first, int count) {
        if (first + count > 0xFFFF) {
            throw new IllegalStateException(
                    "a method uses local slots up to " + first + ", leaving none for the agent's copy of this");
        }
    }

    /**
     * @return the locals of an expanded frame ({@code numLocal} entries of {@code local}) with {@code spares} in the slots
     *     from {@code first} on, and {@code TOP} in the slots between
     */
    static Object[] extend(int numLocal, Object[] local, int first, Object... spares) {
        int gap = Math.max(0, first - slots(numLocal, local));
        Object[] out = Arrays.copyOf(local, numLocal + gap + spares.length);
        Arrays.fill(out, numLocal, numLocal + gap, Opcodes.TOP);
        System.arraycopy(spares, 0, out, numLocal + gap, spares.length);
        return out;
    }

    @Override
    public void visitCode() {
        super.visitCode();
        for (int i = 0; i < types.length; i++) {
            super.visitVarInsn(Opcodes.ALOAD, i);
            super.visitVarInsn(Opcodes.ASTORE, first + i);
        }
    }

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        Object[] locals = extend(numLocal, local, first, types);
        super.visitFrame(type, locals.length, locals, numStack, stack);
    }
}
