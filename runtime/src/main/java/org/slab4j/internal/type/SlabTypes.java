package org.slab4j.internal.type;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slab4j.KmemCache;
import org.slab4j.SlabConfigurationException;
import org.slab4j.SlabOutOfMemoryException;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;
import org.slab4j.internal.event.SlabEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The type registry: finds the {@link SlabType} of a class (its own if annotated, else its nearest annotated
 * superclass's), creating it on first use, and carries out what {@link org.slab4j.Slabs} does to instances.
 */
public final class SlabTypes {
    private static final Logger LOG = LoggerFactory.getLogger("org.slab4j.config");
    private static final Object NOT_SLAB = new Object();
    /** Whether a class's configuration error was logged: once, however many times its constant is resolved. */
    private static final ClassValue<AtomicBoolean> REPORTED = new ClassValue<>() {
        @Override
        protected AtomicBoolean computeValue(Class<?> type) {
            return new AtomicBoolean();
        }
    };

    /** Whether a class's serial data without segment bytes was reported ({@link #restoreWithoutContent}): once. */
    private static final ClassValue<AtomicBoolean> WITHOUT_CONTENT = new ClassValue<>() {
        @Override
        protected AtomicBoolean computeValue(Class<?> type) {
            return new AtomicBoolean();
        }
    };

    /**
     * The types created so far, in creation order, weakly: a type is kept by its class (through {@link #TYPES}), so
     * that a class loader that goes away takes its types along. Guarded by itself, as is {@link #NAMES}.
     */
    private static final List<WeakReference<SlabType>> CREATED = new ArrayList<>();

    /** The cache names in use, by the types alive and by the caches of collected types that could not be destroyed. */
    private static final Set<String> NAMES = new HashSet<>();

    private static final ClassValue<Object> TYPES = new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> type) {
            Slab spec = type.getDeclaredAnnotation(Slab.class);
            if (spec == null || copiesAncestor(type, spec)) {
                Class<?> parent = type.getSuperclass();
                return parent == null ? NOT_SLAB : TYPES.get(parent);
            }
            // Initialize the class (its layout field is read) before taking the lock: a class whose static
            // initializer makes instances on another thread must not wait on a thread that waits for it.
            try {
                MethodHandles.privateLookupIn(type, MethodHandles.lookup()).ensureInitialized(type);
            } catch (IllegalAccessException e) {
                // SlabType.create reports the same inaccessibility as a configuration error
            }
            synchronized (CREATED) {
                for (WeakReference<SlabType> created : CREATED) {
                    SlabType known = created.get();
                    if (known != null && known.type() == type) {
                        return known; // another thread's computeValue won the race
                    }
                }
                return create(type, spec);
            }
        }
    };

    /**
     * Creates a type, its cache named uniquely (a class loaded by several loaders gets {@code name#2}, ...); the caller
     * holds {@link #CREATED}'s lock.
     */
    private static Object create(Class<?> type, Slab spec) {
        String name = spec.name().isEmpty() ? type.getSimpleName() : spec.name();
        String unique = name;
        for (int n = 2; !NAMES.add(unique); n++) {
            unique = name + "#" + n;
        }
        SlabType slabType;
        try {
            slabType = SlabType.create(type, spec, unique);
        } catch (SlabConfigurationException e) {
            NAMES.remove(unique);
            return e;
        }
        CREATED.removeIf(created -> created.get() == null);
        CREATED.add(new WeakReference<>(slabType));
        Reclaimer.whenUnreachable(slabType, new Retirement(slabType.cache(), type.getName()));
        return slabType;
    }

    /**
     * What happens once a type is unreachable (its class, and so its class loader, collected): its cache is destroyed
     * and its name freed for a later class of the same name. Instances lost without a free while the type was alive
     * (of an {@code EXPLICIT} type) keep the cache from being destroyed: it stays, with its name, and a warning says so.
     */
    private record Retirement(KmemCache cache, String typeName) implements Runnable {
        @Override
        public void run() {
            try {
                cache.destroy();
            } catch (IllegalStateException e) {
                LOG.warn("the cache of {}, whose class was unloaded, is kept: {}", typeName, e.getMessage());
                return;
            }
            synchronized (CREATED) {
                NAMES.remove(cache.name());
            }
        }
    }

    private SlabTypes() {}

    /**
     * @return whether {@code type} carries a copy of its nearest {@code @Slab} ancestor's annotation and no
     *     {@code @SlabSegment} field of its own: a generated subclass (Mockito's subclass mocks copy the annotations of
     *     the class they extend), whose instances are of the ancestor's type, as the agent instruments it
     */
    private static boolean copiesAncestor(Class<?> type, Slab spec) {
        for (Class<?> ancestor = type.getSuperclass(); ancestor != null; ancestor = ancestor.getSuperclass()) {
            Slab its = ancestor.getDeclaredAnnotation(Slab.class);
            if (its != null) {
                for (Field field : type.getDeclaredFields()) {
                    if (field.isAnnotationPresent(SlabSegment.class)) {
                        return false;
                    }
                }
                return its.equals(spec);
            }
        }
        return false;
    }

    /**
     * @return the type of instances of {@code type}, or {@code null} if neither it nor a superclass is annotated
     * @throws SlabConfigurationException if the annotated class is misconfigured
     */
    public static SlabType of(Class<?> type) {
        Object value = TYPES.get(type);
        if (value instanceof SlabType slabType) {
            return slabType;
        }
        if (value instanceof SlabConfigurationException e) {
            throw new SlabConfigurationException(e.getMessage(), e.getCause());
        }
        return null;
    }

    /**
     * The type whose counters and cache {@link org.slab4j.Slabs#stats} and {@link org.slab4j.Slabs#cacheOf} read.
     *
     * @return the type of instances of {@code type}, or {@code null} if neither it nor a superclass is annotated
     * @throws IllegalArgumentException if the annotated class was not instrumented and its type was never set up:
     *     setting it up (its cache, and the global allocator with its exit report) would show zeros, as for a type
     *     whose instances were all freed, where none of its instances has a segment
     * @throws SlabConfigurationException if the annotated class is misconfigured
     */
    public static SlabType ofInstrumented(Class<?> type) {
        if (!Instrumented.class.isAssignableFrom(type) && neverSetUp(type)) {
            throw notInstrumented(type);
        }
        return of(type);
    }

    /** @return the types alive, in creation order (a type goes with its class) */
    public static List<SlabType> all() {
        synchronized (CREATED) {
            List<SlabType> all = new ArrayList<>();
            for (WeakReference<SlabType> created : CREATED) {
                SlabType slabType = created.get();
                if (slabType != null) {
                    all.add(slabType);
                }
            }
            return all;
        }
    }

    /**
     * The constant that instrumented code of the annotated class {@code type} holds (see {@link SlabHooks#slabType}).
     *
     * @return the type, or the {@link SlabConfigurationException} its uses throw, whose message is then logged at
     *     ERROR on {@code org.slab4j.config}
     */
    public static Object constant(Class<?> type) {
        SlabConfigurationException problem;
        try {
            return require(type);
        } catch (SlabConfigurationException e) {
            problem = e;
        } catch (RuntimeException | LinkageError e) {
            problem = SlabType.fail(type, "it cannot be set up: " + rootCause(e), e);
        }
        // What the agent cannot see in the class file (a layout's value, a size the allocator refuses, a failing
        // allocator) shows here, at the first use: logged once, as the agent logs what it finds at class load.
        if (REPORTED.get(type).compareAndSet(false, true)) {
            LOG.error(problem.getMessage());
        }
        return problem;
    }

    /**
     * @return what went wrong at the bottom of {@code e}'s causes, in the words of the outermost exception that already
     *     quotes it (such as {@code SlabAllocator.global() failed: ...}): the innermost message, not a chain of
     *     wrappers ({@code ExceptionInInitializerError}, ...) that hides it
     */
    static String rootCause(Throwable e) {
        Throwable root = e;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 100; depth++) {
            root = root.getCause();
        }
        String message = root.getMessage();
        boolean plain =
                message != null && (root instanceof IllegalArgumentException || root instanceof IllegalStateException);
        String text = plain ? message : root.toString();
        for (Throwable t = e; t != root; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().endsWith(text)) {
                return t.getMessage();
            }
        }
        return text;
    }

    /** @return the type behind a {@link #constant}, or throws its configuration error */
    static SlabType fromConstant(Object constant) {
        if (constant instanceof SlabType slabType) {
            return slabType;
        }
        SlabConfigurationException e = (SlabConfigurationException) constant;
        throw new SlabConfigurationException(e.getMessage(), e.getCause());
    }

    /**
     * Allocates the segment of a new instance of an annotated class and attributes it to this thread's pending site.
     *
     * @param type the class's {@link #constant}
     */
    public static MemorySegment construct(Object instance, Object type) {
        SlabType slabType = fromConstant(type);
        return allocate(slabType, instance, Sites.take(slabType));
    }

    /**
     * Gives back the segment of an instance whose constructor threw; its allocation is no longer counted.
     *
     * @param type the {@code @Slab} class, or {@code null} for the one the instance's class is or extends
     */
    public static void constructorFailed(Object instance, Class<?> type) {
        SlabType slabType = require(type != null ? type : instance.getClass());
        MemorySegment segment = slabType.take(instance);
        if (isLive(segment)) {
            unallocate(slabType, instance, segment, null);
        }
    }

    /**
     * Gives back the segment of an instance that is not to have one after all (its constructor threw, or its clone
     * lost the race with the original's free): its allocation is no longer counted.
     *
     * @param site where it was counted, or {@code null} if known only for a watched instance (whose watch tells)
     */
    private static void unallocate(SlabType slabType, Object instance, MemorySegment segment, Site site) {
        Site watched = slabType.watches() ? untrack(instance, segment, slabType) : null;
        slabType.cache().free(segment);
        slabType.failed.increment();
        Site counted = site != null ? site : watched;
        if (counted != null) {
            Sites.count(counted, -1);
        }
    }

    /** A copy that a clone hook gave a segment, and that segment. */
    private record Given(WeakReference<Object> copy, MemorySegment own) {}

    /**
     * The copies that the last {@code GIVEN.length} clone hooks on a thread gave a segment, oldest overwritten first:
     * lets a nested hook of a copy tell the segment an inner hook gave it from the original's, once the original has
     * been freed meanwhile. More than one, since a deep copy (a {@code clone()} that clones the objects it holds) runs
     * the hooks of those copies between its own inner and outer ones; a copy with more nested clones than that in
     * between, racing a free of its original, may still lose its segment.
     */
    private static final ThreadLocal<Given[]> GIVEN = ThreadLocal.withInitial(() -> new Given[16]);

    /**
     * Gives the copy that a {@code super.clone()} made of {@code original} a segment of its own holding the original's
     * bytes, unless an inner {@code super.clone()} of the same copy already did (the copy's segment is then live and no
     * longer the original's, or the one this thread's last hook gave it if the original was freed since): nested clones
     * take one segment.
     *
     * @throws IllegalStateException if the original was already freed (or was freed while the copy was made, before
     *     the copy had a segment of its own); the copy is left without a segment
     */
    public static void cloned(Object copy, Object original, Class<?> type) {
        if (copy == original || copy == null || copy.getClass() != original.getClass()) {
            return; // a clone() that returns this or makes another object copied nothing (Object.clone keeps the class)
        }
        SlabType slabType = require(type);
        MemorySegment held = slabType.segmentOf(copy);
        MemorySegment source = slabType.segmentOf(original);
        if (isLive(held) && held != source && (isLive(source) || givenHere(copy, held))) {
            return;
        }
        if (!isLive(held) || !isLive(source)) {
            throw freedWhileCloned(slabType, copy, original);
        }
        MemorySegment own = allocate(slabType, copy, null);
        MemorySegment.copy(held, 0, own, 0, Math.min(held.byteSize(), own.byteSize()));
        // Compiled, the caller may hold the original dead once it made the copy (new T().clone()): were it collected
        // meanwhile, the reclaimer would free the segment being copied from.
        Reference.reachabilityFence(original);
        if (slabType.segmentOf(original) != held) {
            // Freed during the copy: the bytes copied may be its free's wipe, or those of a later instance that
            // took the segment. The original's free takes its segment out before giving it back, so one still
            // in place now was the original's through the whole copy.
            unallocate(slabType, copy, own, slabType.unattributed());
            throw freedWhileCloned(slabType, copy, original);
        }
        slabType.set(copy, own);
        Given[] given = GIVEN.get();
        System.arraycopy(given, 0, given, 1, given.length - 1);
        given[0] = new Given(new WeakReference<>(copy), own);
    }

    /** @return the exception of a clone whose original was freed before its copy had bytes of its own; no segment */
    private static IllegalStateException freedWhileCloned(SlabType slabType, Object copy, Object original) {
        slabType.set(copy, MemorySegment.NULL);
        return new IllegalStateException(
                describe(original) + " was already freed, so it cannot be cloned; clone it before Slabs.free");
    }

    private static boolean givenHere(Object copy, MemorySegment held) {
        for (Given given : GIVEN.get()) {
            if (given != null && given.own() == held && given.copy().get() == copy) {
                return true;
            }
        }
        return false;
    }

    /** @return a copy of the bytes of an instance's segment, or {@code null} if it was freed */
    public static byte[] content(Object instance) {
        MemorySegment segment = typeOf(instance).segmentOf(instance);
        return isLive(segment) ? segment.toArray(ValueLayout.JAVA_BYTE) : null;
    }

    /**
     * Gives a deserialized instance a fresh segment holding {@code content}, or leaves it freed if {@code content} is
     * {@code null}.
     */
    public static void restore(Object instance, Class<?> type, byte[] content) {
        SlabType slabType = require(type);
        if (content == null) {
            slabType.set(instance, MemorySegment.NULL);
            return;
        }
        MemorySegment own = allocate(slabType, instance, null);
        MemorySegment.copy(MemorySegment.ofArray(content), 0, own, 0, Math.min(content.length, own.byteSize()));
        slabType.set(instance, own);
    }

    /**
     * Gives a deserialized instance whose serial data carried no segment bytes a fresh segment, as its construction
     * would (zeroed, or set up by its cache's constructor), and says so once per class.
     */
    public static void restoreWithoutContent(Object instance, Class<?> type) {
        SlabType slabType = require(type);
        slabType.set(instance, allocate(slabType, instance, null));
        if (WITHOUT_CONTENT.get(type).compareAndSet(false, true)) {
            LOG.warn(
                    "{}'s serialized data carried no off-heap payload (it was written without the slab4j agent, or"
                            + " before the class had @Slab, or its own readObject read the payload as an object of its"
                            + " own): its instances read from such data get a fresh segment, as new ones do, so their"
                            + " off-heap state starts fresh; write the data again with the agent to keep it",
                    type.getName());
        }
    }

    /**
     * Returns an instance's segment to its cache: through the class's {@link Instrumented} method when the agent
     * instrumented it, else (a class loaded before the agent) with a look-up, to report what is wrong.
     *
     * @param quiet whether an instance already freed is ignored rather than an error
     * @throws IllegalArgumentException if the instance is not of a {@link Slab} class or has no segment
     * @throws IllegalStateException if the instance was already freed and {@code quiet} is false
     */
    public static void free(Object instance, boolean quiet) {
        if (instance instanceof Instrumented instrumented) {
            instrumented.slab4j$free(quiet);
            return;
        }
        SlabType slabType = typeOf(instance);
        SlabHooks.release(instance, slabType, slabType.take(instance), quiet);
    }

    /**
     * {@link SlabHooks#release} of a segment that is not live: {@code null} is put back and reported; {@link MemorySegment#NULL}
     * (already freed) is ignored if {@code quiet}, else reported.
     */
    static void notLive(Object instance, SlabType slabType, MemorySegment segment, boolean quiet) {
        if (segment == null) {
            slabType.set(instance, null);
        } else if (quiet) {
            return;
        }
        throw notLive(instance, segment);
    }

    /**
     * Ends the tracking of an instance whose segment is being given back explicitly. The instance is kept reachable
     * until its phantom reference is cleared: compiled code may hold it dead from its last use, before this call, and
     * a collection then would have the reclaimer free the segment as lost while the caller frees it too (a double free
     * that {@code ReclaimRaceIT} caught).
     */
    static Site untrack(Object instance, MemorySegment segment, SlabType slabType) {
        Site site = Reclaimer.untrack(instance, segment, slabType);
        Reference.reachabilityFence(instance);
        return site;
    }

    /** @return the live segment of an instance */
    public static MemorySegment segmentOf(Object instance) {
        MemorySegment segment = typeOf(instance).segmentOf(instance);
        if (!isLive(segment)) {
            throw notLive(instance, segment);
        }
        return segment;
    }

    private static SlabType typeOf(Object instance) {
        if (instance == null) {
            throw new NullPointerException("the instance is null, not an instance of a @Slab class");
        }
        if (instance instanceof Enum<?> constant && constant.getDeclaringClass().isAnnotationPresent(Slab.class)) {
            throw new IllegalArgumentException(constant.getDeclaringClass().getName()
                    + " is an enum, which @Slab cannot go on (the agent reported it at load and left it as compiled):"
                    + " its constants have no segment; put @Slab on a class");
        }
        if (!(instance instanceof Instrumented) && neverSetUp(instance.getClass())) {
            // No instance of it has a segment: setting its type up (and the global allocator) would only say so.
            throw notInstrumented(instance.getClass());
        }
        SlabType slabType = of(instance.getClass());
        if (slabType == null) {
            throw new IllegalArgumentException(
                    instance.getClass().getName() + " is not a @Slab class (nor a subclass of one)");
        }
        return slabType;
    }

    /** @return whether {@code type} is, or extends, a {@link Slab} class whose type was not created yet */
    private static boolean neverSetUp(Class<?> type) {
        Class<?> annotated = type;
        while (annotated != null && annotated.getDeclaredAnnotation(Slab.class) == null) {
            annotated = annotated.getSuperclass();
        }
        if (annotated == null) {
            return false;
        }
        synchronized (CREATED) {
            for (WeakReference<SlabType> created : CREATED) {
                SlabType known = created.get();
                if (known != null && known.type() == annotated) {
                    return false;
                }
            }
        }
        return true;
    }

    private static RuntimeException notLive(Object instance, MemorySegment segment) {
        if (segment == MemorySegment.NULL) {
            return new IllegalStateException(describe(instance) + " was already freed");
        }
        if (!(instance instanceof Instrumented)) {
            return notInstrumented(instance.getClass());
        }
        return new IllegalArgumentException(
                describe(instance) + " has no segment: no constructor of it ran (an instance"
                        + " made by Unsafe.allocateInstance, or a library that uses it such as Objenesis), or its superclass's"
                        + " constructor has not returned yet; make it with new, a constructor reference or"
                        + " Constructor.newInstance, which give it a segment");
    }

    private static IllegalArgumentException notInstrumented(Class<?> type) {
        if (type.isHidden()) {
            return new IllegalArgumentException(type.getName()
                    + " is a hidden class (Lookup.defineHiddenClass), which the JVM shows to no agent, so the slab4j"
                    + " agent could not instrument it and its instances have no segment; define the class with"
                    + " Lookup.defineClass or a class loader instead");
        }
        if (SlabTypes.class.getClassLoader() == null) {
            // The agent put this runtime on the bootstrap class path: it runs, and left the class out.
            return new IllegalArgumentException(type.getName()
                    + " was not instrumented by the slab4j agent running in this JVM, which leaves a class as compiled"
                    + " for a configuration error it reported at the class's load (an ERROR naming the class), when"
                    + " its include= option does not cover the class or its exclude= option names it, or when the"
                    + " class was loaded before the agent was attached; an instance of it has no segment");
        }
        return new IllegalArgumentException(type.getName()
                + " was not instrumented by the slab4j agent: start the JVM with -javaagent:slab4j-agent.jar"
                + " (its path), so that the agent starts before the class loads, and let its include= option"
                + " cover the class and its exclude= option not name it; an instance made without the agent has no"
                + " segment");
    }

    private static String describe(Object instance) {
        return instance.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(instance));
    }

    private static SlabType require(Class<?> type) {
        SlabType slabType = of(type);
        if (slabType == null) {
            throw new IllegalArgumentException(type.getName() + " is not a @Slab class");
        }
        return slabType;
    }

    private static MemorySegment allocate(SlabType slabType, Object instance, Site pending) {
        Site site = pending == null ? slabType.unattributed() : pending;
        MemorySegment segment;
        try {
            segment = slabType.allocate();
        } catch (SlabOutOfMemoryException e) {
            segment = allocateUnderPressure(slabType, e);
        }
        if (!site.listed) {
            list(slabType, site);
        }
        Sites.count(site, 1);
        if (SlabEvents.sampleAllocation()) {
            SlabEvents.allocationSample(
                    slabType.type().getName(),
                    slabType.cacheName(),
                    site.location(),
                    slabType.cache().objectSize());
        }
        if (slabType.watchNext()) {
            Reclaimer.track(instance, segment, slabType, site);
        }
        return segment;
    }

    /**
     * Lists a site at its first allocation; out of line, to keep the constructor's compiled hook small. The sites of
     * collected loaders leave the list first: a type that no report reads would otherwise keep a row for every redeploy
     * of a class that allocates it (its loader's next classes' registration has forgotten the previous deploy's sites).
     */
    private static void list(SlabType slabType, Site site) {
        site.listed = true;
        slabType.sites.removeIf(Sites::forgotten);
        slabType.sites.addIfAbsent(site);
    }

    /**
     * The slow path of {@link #allocate}, once the memory limit (or the operating system) refused the allocation: a type
     * that watches its instances first gets back the segments of those lost without a free ({@link
     * Reclaimer#reclaimFor}); then the refusal is rethrown, naming the class and the fix.
     */
    private static MemorySegment allocateUnderPressure(SlabType slabType, SlabOutOfMemoryException refused) {
        if (slabType.watches()) {
            MemorySegment segment = Reclaimer.reclaimFor(slabType);
            if (segment != null) {
                return segment;
            }
        }
        int every = slabType.watchEvery();
        String lost = every == 1
                ? " (even after a garbage collection let slab4j reclaim the instances lost without a free)"
                : every > 1
                        ? " (a garbage collection let slab4j reclaim the lost instances it watches, but of a SAMPLED"
                                + " type it watches one in " + every + " (option leakRate): the others lost without a"
                                + " free stay allocated; run with leaks=all to reclaim every one and count where each"
                                + " is made)"
                        : " (none lost without a free comes back: slab4j watches no instance of an EXPLICIT type, nor"
                                + " of any type with the option leaks=off)";
        throw new SlabOutOfMemoryException(
                "@Slab class " + slabType.type().getName() + ": no new instance fits" + lost + ": "
                        + refused.getMessage() + "; free instances when done with them (Slabs.free or close()),"
                        + " or raise the memoryLimit option",
                refused);
    }

    static boolean isLive(MemorySegment segment) {
        return segment != null && segment != MemorySegment.NULL;
    }
}
