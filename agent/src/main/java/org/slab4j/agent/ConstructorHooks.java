package org.slab4j.agent;

import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * The hooks in a constructor of a class whose instances get a segment. After the {@code super(...)} or {@code this(...)}
 * call that initialises the instance, the segment is taken (if {@code segmentField} is given and the call was
 * {@code super(...)}), and the rest of the body runs in a catch-all that gives it back through
 * {@code SlabHooks.constructorFailed} and rethrows. A constructor whose prologue calls other code (see
 * {@link Prologues}) takes the pending allocation site on entry into a local of its own and hands it back just before
 * the constructor or segment hook that takes it. After the initialising call, each {@code return} and {@code throw}
 * keeps the instance reachable until then, as {@link Fences} does in methods.
 *
 * <p>Locals past the constructor's own ({@link SpareLocals}): the pending site, then a copy of {@code this}, which
 * holds {@code null} from the entry and the instance from the initialising call on, so that every stack map frame may
 * declare it, whatever path reaches the frame; the hooks load the copy, never local 0, which frames may declare dead.
 *
 * <p>Code after the initialising call in the class file may still run before it: an optimiser may place the
 * prologue's cold throw at the end. Its frames hold {@code uninitializedThis} (the verifier keeps that flag on every
 * path until the call), which no exception handler of the instance may cover, so the catch-all's range leaves out each
 * such block, and no fence goes there. Likewise code before the call in the class file may run after it (a block
 * jumped back to from after the call): its frames hold no {@code uninitializedThis}, and the catch-all and the fences
 * cover it too.
 */
final class ConstructorHooks extends MethodVisitor {
    private final String className;
    private final Type slabType;
    private final String segmentField;
    /** The local that keeps the pending site, or -1 when the site can stay pending. */
    private final int siteLocal;
    /** The first slot past the constructor's own locals: the pending site's, then the copy of {@code this}. */
    private final int firstFree;
    /** The local that holds the copy of {@code this}. */
    private final int self;

    private final boolean fenced;

    /** The catch-all's ranges, as start and end labels in turn; an odd size while one is open. */
    private final List<Label> ranges = new ArrayList<>();

    private final Label giveBack = new Label();
    private int pendingNews;
    /** Whether the initialising call has been passed, in the order of the code. */
    private boolean initialized;
    /** Whether the code being visited runs with the instance initialised, as its frame says. */
    private boolean instance;

    /**
     * @param className the class whose constructor this is
     * @param slabType the {@code @Slab} class whose segment the instance gets (the class itself, or its ancestor), or
     *     {@code null} where the class file cannot load a class constant (before version 49): the hook then finds it
     *     from the instance
     * @param segmentField the {@code @SlabSegment} field to set after {@code super(...)}, or {@code null} in a subclass
     *     of a {@code @Slab} class, whose ancestor's constructor sets it
     * @param prologue what the constructor does before the initialising call, or {@code null} if not known
     * @param superCallsOut whether the superclass constructor may run other code before the segment is taken
     * @param fenced whether the body keeps the instance reachable until it returns or throws ({@link Fences})
     * @param firstFree the first slot past the locals the constructor uses
     */
    ConstructorHooks(
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
        super.visitInsn(Opcodes.ACONST_NULL);
        super.visitVarInsn(Opcodes.ASTORE, self);
    }

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        // Before the initialising call in the class file too: a block placed there may run after it, jumped back to.
        boolean uninitialized = Prologues.uninitialized(numLocal, local);
        if (uninitialized == instance) { // a block of the other kind starts here
            mark();
        }
        instance = !uninitialized;
        Object[] locals = SpareLocals.extend(
                numLocal, local, firstFree, siteLocal >= 0 ? Opcodes.INTEGER : Opcodes.TOP, className);
        super.visitFrame(type, locals.length, locals, numStack, stack);
    }

    /** Opens or closes a range of the catch-all here. */
    private void mark() {
        Label here = new Label();
        super.visitLabel(here);
        ranges.add(here);
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
        if (!instance) { // the call runs with uninitializedThis, so no range is open
            mark();
            instance = true;
        }
    }

    @Override
    public void visitInsn(int opcode) {
        // Before the initialising call, this may not be passed anywhere.
        if (fenced && instance && (opcode == Opcodes.RETURN || opcode == Opcodes.ATHROW)) {
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
            if (ranges.size() % 2 == 1) {
                mark();
            }
            super.visitLabel(giveBack);
            // Local 0 as TOP, since the body's frames may declare it dead: the handler takes the copy.
            Object[] locals = SpareLocals.extend(1, new Object[] {Opcodes.TOP}, firstFree, Opcodes.TOP, className);
            super.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {"java/lang/Throwable"});
            super.visitVarInsn(Opcodes.ALOAD, self);
            if (slabType != null) {
                super.visitLdcInsn(slabType);
            } else {
                super.visitInsn(Opcodes.ACONST_NULL);
            }
            super.visitMethodInsn(Opcodes.INVOKESTATIC, Hooks.SLABS, "constructorFailed", Hooks.OBJECT_CLASS, false);
            super.visitInsn(Opcodes.ATHROW);
            for (int i = 0; i < ranges.size(); i += 2) {
                if (ranges.get(i).getOffset() < ranges.get(i + 1).getOffset()) { // resolved by the writer below
                    super.visitTryCatchBlock(ranges.get(i), ranges.get(i + 1), giveBack, "java/lang/Throwable");
                }
            }
        }
        super.visitMaxs(maxStack, maxLocals);
    }
}
