package org.slab4j.agent;

import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Instruments a class that extends a {@code @Slab} class without carrying {@code @Slab} itself. Its instances get their
 * segment from the {@code @Slab} ancestor's constructor, so here each constructor only runs the rest of its body in
 * the catch-all that gives the segment back when it throws, {@code super.clone()} gives the copy a segment of its own,
 * a {@code close()} of an {@code AutoCloseable} subclass gives the segment back, and so does a {@code readResolve()}
 * that replaces the instance just deserialized, and its instance methods keep it reachable until they return
 * ({@link Fences}), as in the {@code @Slab} class itself (see {@link SlabClassRewriter}). A misconfigured subclass
 * (see {@link SlabClassModel#subclassProblem}) instead gets constructors that throw the configuration error first.
 */
final class SlabSubclassRewriter extends MethodRewriter {
    private final Type slabType;
    private final String problem;
    private final boolean closeable;
    private final boolean serializable;
    private final MethodFacts facts;

    /**
     * @param slabType the internal name of the {@code @Slab} ancestor
     * @param problem the subclass's configuration problem, or {@code null} if none
     * @param closeable whether the {@code @Slab} ancestor is {@code AutoCloseable}, itself or through a supertype
     * @param serializable whether the class is {@code Serializable}, itself or through a supertype
     * @param facts what the transformer read of the class's methods
     */
    SlabSubclassRewriter(
            ClassVisitor next,
            String slabType,
            String problem,
            boolean closeable,
            boolean serializable,
            MethodFacts facts) {
        super(next);
        this.slabType = Type.getObjectType(slabType);
        this.problem = problem;
        this.closeable = closeable;
        this.serializable = serializable;
        this.facts = facts;
    }

    @Override
    MethodVisitor rewrite(int access, String name, String descriptor, MethodVisitor next) {
        if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
            return next;
        }
        if (problem != null) {
            return name.equals("<init>") ? new SlabClassRewriter.Misconfigured(next, problem) : next;
        }
        // Before version 49 a class file cannot load a class constant: the hooks then find the @Slab type from the
        // instance (the clone hook as in a class that may be the ancestor of one).
        Type hookType = (version & 0xFFFF) >= Opcodes.V1_5 ? slabType : null;
        if (name.equals("<init>")) {
            return new ConstructorHooks(
                    next,
                    className,
                    hookType,
                    null,
                    facts.prologues().get(descriptor),
                    false,
                    facts.fenced(name, descriptor),
                    facts.firstFree(name, descriptor));
        }
        // A close() of its own frees as the @Slab class's does, also one that skips super.close(), or one that an
        // abstract @Slab ancestor left to its subclasses.
        return new MethodHooks(className, hookType, false, serializable, closeable, facts)
                .of(access, name, descriptor, next);
    }
}
