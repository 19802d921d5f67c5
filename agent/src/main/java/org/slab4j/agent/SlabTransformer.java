package org.slab4j.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.slab4j.internal.type.SlabHooks;

/**
 * The agent's class file transformer. A class is left untouched unless it carries {@code @Slab} (then
 * {@link SlabClassRewriter} instruments it), extends a class that does ({@link SlabSubclassRewriter}), constructs
 * either (then {@link SiteRewriter} rewrites those {@code new} expressions), or names {@code clone} (its
 * {@code super.clone()} calls are hooked, since it may be the ancestor of a {@code @Slab} class loaded later); all are
 * decided from the constant pool and the class file headers the {@link SlabIndex} reads, so other classes cost one
 * scan.
 */
final class SlabTransformer implements ClassFileTransformer {
    private final AgentOptions options;
    private final Instrumentation inst;
    private final SlabIndex index = new SlabIndex();
    /** Whether each class loader sees the runtime's {@link SlabHooks} ({@link #seesHooks}); weakly keyed. */
    private final Map<ClassLoader, Boolean> hooksSeen = new WeakHashMap<>();

    /**
     * @param inst the instrumentation, to let named modules read the runtime, or {@code null} to leave modules alone
     */
    SlabTransformer(AgentOptions options, Instrumentation inst) {
        this.options = options;
        this.inst = inst;
    }

    /** @return whether the class belongs to the JDK or to slab4j itself, which are never instrumented */
    static boolean isPlatformClass(String internalName) {
        return internalName.startsWith("java/")
                || internalName.startsWith("javax/")
                || internalName.startsWith("jdk/")
                || internalName.startsWith("sun/")
                || internalName.startsWith("com/sun/")
                || internalName.startsWith("org/slab4j/agent/")
                || internalName.startsWith("org/slab4j/internal/")
                || internalName.startsWith("org/slab4j/annotation/")
                || internalName.startsWith("org/slab4j/shaded/")
                || (internalName.startsWith("org/slab4j/") && internalName.indexOf('/', 11) < 0);
    }

    /**
     * Transforms as {@link #transform(ClassLoader, String, Class, ProtectionDomain, byte[])} does; an instrumented class
     * of a named module makes its module read the runtime (which is in the bootstrap loader's unnamed module), and a
     * {@code @Slab} class's package is opened to the runtime, which reaches its segment field and ctor.
     */
    @Override
    public byte[] transform(
            Module module,
            ClassLoader loader,
            String className,
            Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain,
            byte[] classfileBuffer) {
        byte[] result = transform(loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
        if (result != null && inst != null && module != null && module.isNamed()) {
            Module runtime = SlabHooks.class.getModule();
            int slash = className.lastIndexOf('/');
            String pkg = slash < 0 ? "" : className.substring(0, slash).replace('/', '.');
            boolean open = index.isSlab(loader, className) && !module.isOpen(pkg, runtime);
            if (!module.canRead(runtime) || open) {
                try {
                    inst.redefineModule(
                            module,
                            Set.of(runtime),
                            Map.of(),
                            open ? Map.of(pkg, Set.of(runtime)) : Map.of(),
                            Set.of(),
                            Map.of());
                } catch (RuntimeException e) {
                    AgentLog.error("cannot let module " + module.getName() + " reach the slab4j runtime, so "
                            + className.replace('/', '.') + " is left as it is: " + e);
                    return null;
                }
            }
        }
        return result;
    }

    @Override
    public byte[] transform(
            ClassLoader loader,
            String className,
            Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain,
            byte[] classfileBuffer) {
        if (loader == null
                || className == null
                || classBeingRedefined != null
                || isPlatformClass(className)
                || !options.accepts(className)) {
            return null;
        }
        try {
            return instrument(loader, className, new ClassReader(classfileBuffer));
        } catch (RuntimeException | LinkageError e) {
            AgentLog.error("cannot instrument " + className.replace('/', '.') + ", left as it is: " + e);
            return null;
        }
    }

    private byte[] instrument(ClassLoader loader, String className, ClassReader reader) {
        SlabClassModel model =
                ConstantPool.containsUtf8(reader, SlabClassModel.SLAB) ? SlabClassModel.read(reader) : null;
        if (model != null && model.leftAlone()) {
            AgentLog.error(model.problem()); // an enum's constants must stay constructible: reported, left as it is
            model = null;
        }
        index.record(loader, reader, model != null);
        // A subclass of a @Slab class shares its ancestor's segment: its constructors give it back when they throw.
        String slabParent = model == null ? slabTypeOf(loader, reader.getSuperName()) : null;
        Map<String, String> constructed = new LinkedHashMap<>();
        if (options.sites()) {
            for (String owner : ConstantPool.constructedClasses(reader)) {
                String slabType = owner.equals(className)
                        ? (model != null ? className : slabParent)
                        : options.accepts(owner) ? slabTypeOf(loader, owner) : null;
                if (slabType != null) {
                    constructed.put(owner, slabType);
                }
            }
        }
        // Any other class may be the ancestor of a @Slab class, whose instances its own super.clone() would copy.
        boolean clones =
                model == null && slabParent == null && ConstantPool.containsUtf8(reader, "clone") && seesHooks(loader);
        if (model == null && slabParent == null && constructed.isEmpty() && !clones) {
            return null;
        }
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        ClassVisitor visitor = writer;
        if (!constructed.isEmpty()) {
            visitor = new SiteRewriter(visitor, constructed);
        }
        if (model != null) {
            model.resolve(index, loader);
            String problem = model.problem();
            if (problem != null) {
                AgentLog.error(problem);
            }
            visitor = new SlabClassRewriter(visitor, model, problem, Prologues.of(reader), Fences.reusingThis(reader));
        } else if (slabParent != null) {
            String superName = reader.getSuperName();
            String[] interfaces = reader.getInterfaces();
            visitor = new SlabSubclassRewriter(
                    visitor,
                    slabParent,
                    Prologues.of(reader),
                    index.implementsInterface(loader, slabParent, new String[0], "java/lang/AutoCloseable"),
                    index.implementsInterface(loader, superName, interfaces, "java/io/Serializable"),
                    Fences.reusingThis(reader));
        } else if (clones) {
            visitor = new SuperClones(visitor);
        }
        reader.accept(visitor, ClassReader.EXPAND_FRAMES);
        return writer.toByteArray();
    }

    /**
     * @return whether classes of {@code loader} link {@link SlabHooks} to the runtime's own class: a loader that keeps
     *     its classes from the runtime (a module system without boot delegation) gets no hook in classes that have
     *     nothing to do with {@code @Slab}, which would then fail to link
     */
    private boolean seesHooks(ClassLoader loader) {
        synchronized (hooksSeen) {
            Boolean seen = hooksSeen.get(loader);
            if (seen != null) {
                return seen;
            }
        }
        // Loaded with no lock of ours held: the look-up takes the loader's locks and then its parents', the order
        // every class load takes them in, so it cannot deadlock with another thread's load (a second look-up of the
        // same loader is harmless).
        boolean seen;
        try {
            seen = Class.forName(SlabHooks.class.getName(), false, loader) == SlabHooks.class;
        } catch (ClassNotFoundException e) {
            seen = false;
        } catch (LinkageError | RuntimeException e) {
            return false; // not remembered: the next class of this loader asks again
        }
        synchronized (hooksSeen) {
            hooksSeen.putIfAbsent(loader, seen);
        }
        return seen;
    }

    /** @return the instrumented {@code @Slab} class whose segment instances of this class get, or {@code null} */
    private String slabTypeOf(ClassLoader loader, String internalName) {
        String slabType = index.slabTypeOf(loader, internalName);
        return slabType != null && options.accepts(slabType) ? slabType : null;
    }

    /** Hooks every {@code super.clone()} of a class without {@code @Slab} that extends none: see {@code clonedAny}. */
    private static final class SuperClones extends MethodRewriter {
        SuperClones(ClassVisitor next) {
            super(next);
        }

        @Override
        MethodVisitor rewrite(int access, String name, String descriptor, MethodVisitor next) {
            return (access & Opcodes.ACC_ABSTRACT) != 0 ? next : new SlabClassRewriter.Clones(next, className, null);
        }
    }
}
