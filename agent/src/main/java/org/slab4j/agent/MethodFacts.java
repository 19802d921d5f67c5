package org.slab4j.agent;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * What the transformer knows of a {@code @Slab} class's or subclass's methods before it rewrites them, read in one pass
 * over the class file ({@link #of}), by {@code name + descriptor}.
 *
 * @param freeSlots each method with code: the first local slot past the ones it uses ({@link SpareLocals.SlotScan})
 * @param prologues each constructor: what it does before its initialising call ({@link Prologues})
 * @param instanceCode the instance methods with code, constructors included: those that get reachability fences
 * @param unfenced the methods that get no reachability fence (see {@link Fences}), which a retry may add to
 */
record MethodFacts(
        Map<String, Integer> freeSlots,
        Map<String, Prologues.Prologue> prologues,
        Set<String> instanceCode,
        Set<String> unfenced) {
    /** @return the facts of the class, every method fenced so far */
    static MethodFacts of(ClassReader reader) {
        MethodFacts facts = new MethodFacts(new HashMap<>(), new HashMap<>(), new HashSet<>(), new HashSet<>());
        reader.accept(
                new ClassVisitor(Opcodes.ASM9) {
                    @Override
                    public MethodVisitor visitMethod(
                            int access, String name, String descriptor, String signature, String[] exceptions) {
                        boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
                        if (!isStatic && (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0) {
                            facts.instanceCode.add(name + descriptor);
                        }
                        MethodVisitor prologue = name.equals("<init>")
                                ? new Prologues.Scan(reader.getClassName(), descriptor, facts.prologues)
                                : null;
                        int parameters = (Type.getArgumentsAndReturnSizes(descriptor) >> 2) - (isStatic ? 1 : 0);
                        return new SpareLocals.SlotScan(prologue, name + descriptor, parameters, facts.freeSlots);
                    }
                },
                ClassReader.EXPAND_FRAMES);
        return facts;
    }

    /** @return the facts of a class the transformer only rewrites {@code new} expressions or clone calls of */
    static MethodFacts none() {
        return new MethodFacts(Map.of(), Map.of(), Set.of(), new HashSet<>());
    }

    /** @return whether method {@code name + descriptor} gets reachability fences */
    boolean fenced(String name, String descriptor) {
        return !unfenced.contains(name + descriptor);
    }

    /** @return the first local slot past the ones method {@code name + descriptor} (one with code) uses */
    int firstFree(String name, String descriptor) {
        return freeSlots.get(name + descriptor);
    }
}
