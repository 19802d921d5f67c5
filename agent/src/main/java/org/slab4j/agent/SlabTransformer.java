package org.slab4j.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodTooLargeException;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.slab4j.Slabs;
import org.slab4j.internal.type.Instrumented;
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
    /** How each class loader links slab4j's classes ({@link #runtimeOf}); weakly keyed. */
    private final Map<ClassLoader, Linked> runtimes = new WeakHashMap<>();

    /**
     * How the classes of a loader link the runtime's {@link SlabHooks} and {@link Slabs}.
     *
     * @param seesHooks whether they link the agent's own classes, which hooks may then call
     * @param otherCopy where the loader's own copy of the runtime comes from, if it has one, else {@code null}
     * @param reported whether the agent has said that it leaves that loader's classes alone
     */
    private record Linked(boolean seesHooks, String otherCopy, boolean reported) {}

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
        if (loader == null || className == null || isPlatformClass(className) || !options.accepts(className)) {
            return null;
        }
        try {
            ClassReader reader = new ClassReader(classfileBuffer);
            if (classBeingRedefined != null && ConstantPool.containsUtf8(reader, Hooks.SLABS)) {
                return null; // bytes taken from a retransformation, which sees the class as instrumented
            }
            return instrument(loader, className, reader, classBeingRedefined);
        } catch (RuntimeException | LinkageError e) {
            AgentLog.error("cannot instrument " + className.replace('/', '.') + ", left as it is: " + e);
            return null;
        }
    }

    /**
     * @param redefined the class that a redefinition (a debugger's HotSwap, another agent's {@code redefineClasses})
     *     gives these bytes, else {@code null}. It is instrumented as at its load, since the JVM refuses a definition
     *     without the interface, fields and methods the agent added ({@code UnsupportedOperationException}), unless it is
     *     a {@code @Slab} class or subclass that was not (loaded before an attach, or misconfigured), which has none of
     *     them to keep. A configuration error was logged at its load, but one of a {@code @Slab} class's new bytes (a
     *     HotSwap that adds a store to its segment field) is logged now: the class gets none of the added members, so
     *     the JVM refuses the redefinition, and says only that the interfaces would change.
     */
    private byte[] instrument(ClassLoader loader, String className, ClassReader reader, Class<?> redefined) {
        SlabClassModel model =
                ConstantPool.containsUtf8(reader, SlabClassModel.SLAB) ? SlabClassModel.read(reader) : null;
        if (model != null && model.copiesAncestor(index, loader)) {
            model = null; // a generated subclass that copies its ancestor's annotations: a subclass like any other
        }
        if (model != null && model.leftAlone()) {
            if (redefined == null) {
                AgentLog.error(model.problem()); // an enum's constants must stay constructible: reported, left as is
            }
            model = null;
        }
        index.record(loader, reader, model);
        // A subclass of a @Slab class shares its ancestor's segment: its constructors give it back when they throw.
        String slabParent = model == null ? slabTypeOf(loader, reader.getSuperName()) : null;
        if (redefined != null
                && (model != null || slabParent != null)
                && !Instrumented.class.isAssignableFrom(redefined)) {
            return null;
        }
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
        boolean namesClone = model == null && slabParent == null && ConstantPool.containsUtf8(reader, "clone");
        if (model == null && slabParent == null && constructed.isEmpty() && !namesClone) {
            return null;
        }
        Linked linked = runtimeOf(loader);
        if (linked.otherCopy() != null) {
            if (model != null || slabParent != null || !constructed.isEmpty()) {
                reportOtherCopy(loader, linked);
            }
            return null; // its hooks would start the loader's own runtime: its classes stay as compiled
        }
        boolean clones = namesClone && linked.seesHooks();
        if (model == null && slabParent == null && constructed.isEmpty() && !clones) {
            return null;
        }
        String problem = null;
        if (model != null) {
            model.resolve(index, loader);
            problem = model.problem();
        } else if (slabParent != null) {
            problem = SlabClassModel.subclassProblem(
                    reader,
                    slabParent,
                    index.superclassesUpTo(loader, reader.getSuperName(), slabParent),
                    index.segmentFieldOf(loader, slabParent));
        }
        boolean hooked = model != null || slabParent != null;
        MethodFacts facts = hooked ? MethodFacts.of(reader) : MethodFacts.none();
        if (problem == null && hooked) {
            String what = model != null
                    ? "@Slab class " + className.replace('/', '.')
                    : "subclass " + className.replace('/', '.') + " of @Slab class " + slabParent.replace('/', '.');
            problem = Prologues.problem(facts.prologues(), className, what);
        }
        if (problem != null && (redefined == null || model != null)) {
            AgentLog.error(redefined == null ? problem : problem + "; the JVM refuses this redefinition of it");
        }
        List<String> tooLarge = new ArrayList<>();
        while (true) {
            try {
                byte[] rewritten = rewrite(loader, reader, model, problem, slabParent, constructed, clones, facts);
                for (String method : tooLarge) {
                    AgentLog.warn(className.replace('/', '.') + "." + method + " is too large for the reachability"
                            + " fences the agent adds (64 KiB of code): it has none, so a watched instance that only"
                            + " this method holds may be reclaimed while it runs; split the method");
                }
                return rewritten;
            } catch (MethodTooLargeException e) {
                // Fences (5 bytes a return) may have pushed the method past 64 KiB: try once more without them. A
                // method that had none, or is too large without them, leaves the class as it is (see transform).
                boolean fenced = facts.instanceCode().contains(e.getMethodName() + e.getDescriptor());
                if (!fenced || !facts.unfenced().add(e.getMethodName() + e.getDescriptor())) {
                    throw e;
                }
                tooLarge.add(e.getMethodName());
            }
        }
    }

    /**
     * Rewrites the class, as {@link #instrument} decided.
     *
     * @param problem the configuration error of the {@code @Slab} class or subclass, or {@code null}
     * @param facts what the transformer read of the methods of a {@code @Slab} class or subclass, with the methods
     *     that get no reachability fence
     */
    private byte[] rewrite(
            ClassLoader loader,
            ClassReader reader,
            SlabClassModel model,
            String problem,
            String slabParent,
            Map<String, String> constructed,
            boolean clones,
            MethodFacts facts) {
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        ClassVisitor visitor = writer;
        if (!constructed.isEmpty()) {
            visitor = new SiteRewriter(visitor, constructed, loader);
        }
        if (model != null) {
            visitor = new SlabClassRewriter(visitor, model, problem, facts);
        } else if (slabParent != null) {
            String superName = reader.getSuperName();
            String[] interfaces = reader.getInterfaces();
            visitor = new SlabSubclassRewriter(
                    visitor,
                    slabParent,
                    problem,
                    index.implementsInterface(loader, slabParent, new String[0], "java/lang/AutoCloseable"),
                    index.implementsInterface(loader, superName, interfaces, "java/io/Serializable"),
                    facts);
        } else if (clones) {
            visitor = new SuperClones(visitor);
        }
        reader.accept(visitor, ClassReader.EXPAND_FRAMES);
        return writer.toByteArray();
    }

    /**
     * @return how classes of {@code loader} link {@link SlabHooks} and {@link Slabs}: to the runtime's own
     *     classes; to none (a module system without boot delegation: a class that has nothing to do with {@code @Slab}
     *     gets no hook, which would then fail to link); or to a copy of the runtime of the loader's own (a child-first
     *     loader that ships slab4j-runtime), whose hooks would start a second runtime, so that no class of it is
     *     instrumented
     */
    private Linked runtimeOf(ClassLoader loader) {
        synchronized (runtimes) {
            Linked linked = runtimes.get(loader);
            if (linked != null) {
                return linked;
            }
        }
        // Loaded with no lock of ours held: the look-up takes the loader's locks and then its parents', the order
        // every class load takes them in, so it cannot deadlock with another thread's load (a second look-up of the
        // same loader is harmless). The classes are not initialized: a copy of the loader's own starts nothing.
        Linked linked;
        try {
            Class<?> hooks = linkedClass(loader, SlabHooks.class);
            Class<?> other = hooks != null && hooks != SlabHooks.class ? hooks : null;
            if (other == null) {
                Class<?> slabs = linkedClass(loader, Slabs.class);
                other = slabs != null && slabs != Slabs.class ? slabs : null;
            }
            linked = new Linked(hooks == SlabHooks.class, other == null ? null : origin(other), false);
        } catch (LinkageError | RuntimeException e) {
            return new Linked(false, null, false); // not remembered: the next class of this loader asks again
        }
        synchronized (runtimes) {
            Linked raced = runtimes.putIfAbsent(loader, linked);
            return raced != null ? raced : linked;
        }
    }

    /** @return the class that {@code loader} links for {@code ours}'s name, or {@code null} if it finds none */
    private static Class<?> linkedClass(ClassLoader loader, Class<?> ours) {
        try {
            return Class.forName(ours.getName(), false, loader);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    /** @return the class's name and where it was loaded from, as far as its loader says */
    private static String origin(Class<?> copy) {
        ProtectionDomain domain = copy.getProtectionDomain();
        CodeSource source = domain == null ? null : domain.getCodeSource();
        URL location = source == null ? null : source.getLocation();
        return copy.getName() + (location == null ? " (from an unknown place)" : " from " + location);
    }

    /** Logs once per loader that its classes are left as compiled since it links a runtime copy of its own. */
    private void reportOtherCopy(ClassLoader loader, Linked linked) {
        if (linked.reported()) {
            return;
        }
        synchronized (runtimes) {
            Linked now = runtimes.get(loader);
            if (now == null || now.reported()) {
                return; // reported by another thread
            }
            runtimes.put(loader, new Linked(now.seesHooks(), now.otherCopy(), true));
        }
        String name = loader.getName();
        AgentLog.error("class loader " + loader.getClass().getName() + (name == null ? "" : " '" + name + "'") + "@"
                + Integer.toHexString(System.identityHashCode(loader))
                + " has its own copy of the slab4j runtime, " + linked.otherCopy()
                + ", instead of the agent's: its @Slab classes, their subclasses and the classes that construct them"
                + " are left as compiled (their instances get no segment, as without the agent); depend on"
                + " slab4j-runtime with scope provided (Gradle: compileOnly) so that the loader does not ship it, or"
                + " have the loader delegate org.slab4j. to its parent");
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
