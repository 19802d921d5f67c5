package org.slab4j.agent;

import net.bytebuddy.jar.asm.ConstantDynamic;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/** Names and descriptors of the {@code org.slab4j.internal.type.SlabHooks} that instrumented code calls. */
final class Hooks {
    static final String SLABS = "org/slab4j/internal/type/SlabHooks";
    static final String CONSTRUCT = "(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/foreign/MemorySegment;";
    static final String OBJECT_CLASS = "(Ljava/lang/Object;Ljava/lang/Class;)V";
    /** {@code cloned(Object copy, Object original, Class type)}. */
    static final String CLONED = "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Class;)V";
    /** {@code clonedAny(Object copy, Object original)}. */
    static final String CLONED_ANY = "(Ljava/lang/Object;Ljava/lang/Object;)V";

    static final String RELEASE = "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/foreign/MemorySegment;Z)V";
    /** The interface every instrumented {@code @Slab} class gets; {@link #FREE} is its one method. */
    static final String INSTRUMENTED = "org/slab4j/internal/type/Instrumented";
    /** {@code void slab4j$free(boolean quiet)}, added to every instrumented {@code @Slab} class. */
    static final String FREE = "slab4j$free";

    static final String FREE_DESCRIPTOR = "(Z)V";

    /** {@code private transient Object slab4j$watch}, added to every instrumented {@code TRACKED} class. */
    static final String WATCH = "slab4j$watch";

    /**
     * The class's type, as {@code SlabHooks.slabType} bootstraps it: a dynamic constant, resolved once per class, so the
     * hooks need no class-to-type look-up.
     */
    static final ConstantDynamic TYPE = new ConstantDynamic(
            "type",
            "Ljava/lang/Object;",
            new Handle(
                    Opcodes.H_INVOKESTATIC,
                    SLABS,
                    "slabType",
                    "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;)Ljava/lang/Object;",
                    false));

    private static final Handle FIELD_VAR_HANDLE = new Handle(
            Opcodes.H_INVOKESTATIC,
            "java/lang/invoke/ConstantBootstraps",
            "fieldVarHandle",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;Ljava/lang/Class;"
                    + "Ljava/lang/Class;)Ljava/lang/invoke/VarHandle;",
            false);

    private Hooks() {}

    /**
     * @return a dynamic constant: a {@code VarHandle} on field {@code field} of {@code owner}, constant to the JIT, so
     *     that its atomic {@code getAndSet} compiles to one instruction
     */
    static ConstantDynamic segmentHandle(String owner, String field) {
        return new ConstantDynamic(
                field,
                "Ljava/lang/invoke/VarHandle;",
                FIELD_VAR_HANDLE,
                Type.getObjectType(owner),
                Type.getType(SlabClassModel.MEMORY_SEGMENT));
    }
}
