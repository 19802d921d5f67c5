package org.slab4j.internal.type;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slab4j.KmemCache;
import org.slab4j.SlabAllocator;
import org.slab4j.SlabConfigurationException;
import org.slab4j.SlabCtor;
import org.slab4j.SlabFlag;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;
import org.slab4j.internal.slab.Names;

/**
 * One {@link Slab} class: its {@code kmem_cache} in {@link SlabAllocator#global()}, the handle on its
 * {@link SlabSegment} field, its release policy and its counters (per type even when merged: each type has its own
 * cache handle, which counts its own allocations and frees).
 */
public final class SlabType {
    private static final AtomicInteger SERIALS = new AtomicInteger();

    private final Class<?> type;
    /**
     * A number no other type of this JVM has, even one of a class of the same name in another loader: what a
     * {@link Site} keeps to know its type without a reference to the class (which would keep its loader). Never 0, a
     * site's "not yet known" (only 2^32 types would wrap the counter round to it).
     */
    final int serial = SERIALS.incrementAndGet();

    private final String cacheName;
    private final KmemCache cache;
    private final VarHandle segment;
    /** {@code segment}'s getAndSet as (Object, MemorySegment)MemorySegment: cheaper than the VarHandle held in a field. */
    private final MethodHandle getAndSet;

    /** The class's cache constructor, held here (the cache holds it weakly, so as not to keep the class loader). */
    private final MethodHandle ctorHandle;

    private final boolean tracked;
    /**
     * The field the agent adds to every {@code TRACKED} class for the {@link Reclaimer}: {@code private transient Object
     * slab4j$watch}, the instance's phantom reference while it is watched, else {@code null}. The {@link Reclaimer}
     * finds the references of classes without it by address.
     */
    public static final String WATCH_FIELD = "slab4j$watch";

    /** The watch field's getter and setter, as (Object)Object and (Object, Object)void, or {@code null}. */
    private final MethodHandle watchGetter;

    private final MethodHandle watchSetter;

    /** Watch one instance in this many ({@link Reclaimer}); 0 for none, 1 for every one. */
    private final int watchEvery;
    /** Allocations until the next watched one: a plain field, which racing threads may miscount (a sample stays one). */
    private int countdown;

    private final boolean zeroed;
    private final Site unattributed;
    final CopyOnWriteArrayList<Site> sites = new CopyOnWriteArrayList<>();
    final LongAdder failed = new LongAdder();
    final LongAdder leaks = new LongAdder();

    private SlabType(
            Class<?> type,
            String cacheName,
            KmemCache cache,
            VarHandle segment,
            Slab spec,
            MethodHandle ctorHandle,
            MethodHandle[] watch,
            int watchEvery) {
        this.type = type;
        this.ctorHandle = ctorHandle;
        this.cacheName = cacheName;
        this.cache = cache;
        this.segment = segment;
        this.getAndSet = segment.toMethodHandle(VarHandle.AccessMode.GET_AND_SET)
                .asType(MethodType.methodType(MemorySegment.class, Object.class, MemorySegment.class));
        this.tracked = spec.release() == Slab.Release.TRACKED;
        this.watchGetter = watch == null ? null : watch[0];
        this.watchSetter = watch == null ? null : watch[1];
        this.watchEvery = watchEvery;
        this.zeroed = ctorHandle == null;
        this.unattributed = Sites.byId(Sites.register(type.getClassLoader(), type.getName(), "(not a new expression)"));
    }

    static SlabType create(Class<?> type, Slab spec, String name) {
        MethodHandles.Lookup lookup;
        try {
            lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
        } catch (IllegalAccessException e) {
            throw fail(type, "its package is not open to slab4j; add 'opens " + type.getPackageName() + ";'", e);
        }
        Field field = segmentField(type);
        VarHandle segment;
        try {
            segment = lookup.unreflectVarHandle(field);
        } catch (IllegalAccessException e) {
            throw fail(type, "cannot access its @SlabSegment field " + field.getName(), e);
        }
        MemoryLayout layout = spec.layout().isEmpty() ? null : layout(type, lookup, spec.layout());
        long size = spec.size() > 0 ? spec.size() : layout == null ? 0 : layout.byteSize();
        if (size <= 0) {
            throw fail(type, "its size is " + size + "; give @Slab(size = N) with N > 0 or layout = \"FIELD\"", null);
        }
        long align = spec.align() > 0 ? spec.align() : layout == null ? 0 : layout.byteAlignment();
        MethodHandle ctorHandle = spec.ctor().isEmpty() ? null : ctor(type, lookup, spec.ctor());
        try {
            Names.checkCache(name);
        } catch (IllegalArgumentException e) {
            throw fail(
                    type,
                    "its cache name cannot be used (" + e.getMessage() + "); give @Slab(name = ...) another name",
                    e);
        }
        SlabAllocator allocator = SlabAllocator.global(); // its own failure is no fault of the class's size or flags
        KmemCache cache;
        try {
            cache = allocator.createCache(
                    name, size, align, flags(spec, ctorHandle == null), ctorHandle == null ? null : weakly(ctorHandle));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw fail(type, "its cache cannot be created (" + e.getMessage() + "); fix size, align or flags", e);
        }
        int watchEvery =
                switch (spec.release()) {
                    case TRACKED -> 1;
                    case EXPLICIT -> 0;
                    case SAMPLED -> LeakSampling.EVERY;
                };
        return new SlabType(type, name, cache, segment, spec, ctorHandle, watchHandles(type, lookup), watchEvery);
    }

    /** @return the getter and setter of the class's {@link #WATCH_FIELD}, or {@code null} if it has none */
    private static MethodHandle[] watchHandles(Class<?> type, MethodHandles.Lookup lookup) {
        Field field;
        try {
            field = type.getDeclaredField(WATCH_FIELD);
        } catch (NoSuchFieldException e) {
            return null;
        }
        try {
            return new MethodHandle[] {
                lookup.unreflectGetter(field).asType(MethodType.methodType(Object.class, Object.class)),
                lookup.unreflectSetter(field).asType(MethodType.methodType(void.class, Object.class, Object.class))
            };
        } catch (IllegalAccessException e) {
            throw fail(type, "cannot access its " + WATCH_FIELD + " field", e);
        }
    }

    private static Field segmentField(Class<?> type) {
        for (Field f : type.getDeclaredFields()) {
            if (f.isAnnotationPresent(SlabSegment.class)) {
                if (f.getType() != MemorySegment.class
                        || (f.getModifiers() & (Modifier.STATIC | Modifier.FINAL)) != 0) {
                    throw fail(
                            type,
                            "@SlabSegment field " + f.getName() + " must be a non-static, non-final " + "MemorySegment",
                            null);
                }
                return f;
            }
        }
        throw fail(type, "it has no @SlabSegment field; add '@SlabSegment MemorySegment mem;'", null);
    }

    private static MemoryLayout layout(Class<?> type, MethodHandles.Lookup lookup, String name) {
        try {
            Field f = type.getDeclaredField(name);
            Object value = lookup.unreflectGetter(f).invoke();
            if (value instanceof MemoryLayout layout && Modifier.isStatic(f.getModifiers())) {
                return layout;
            }
        } catch (NoSuchFieldException | IllegalAccessException e) {
            throw fail(
                    type, "layout field " + name + " is missing; declare 'static final MemoryLayout " + name + "'", e);
        } catch (Throwable e) {
            throw fail(type, "layout field " + name + " cannot be read", e);
        }
        throw fail(type, "layout field " + name + " must be a non-null static final MemoryLayout", null);
    }

    private static MethodHandle ctor(Class<?> type, MethodHandles.Lookup lookup, String name) {
        try {
            return lookup.findStatic(type, name, MethodType.methodType(void.class, MemorySegment.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw fail(type, "ctor " + name + " is missing; declare 'static void " + name + "(MemorySegment)'", e);
        }
    }

    /**
     * @return a cache constructor that calls {@code handle} while its class is alive: the allocator keeps the cache,
     *     and must not keep the class (and its loader) through it; once the class is gone, nothing allocates from the
     *     cache
     */
    private static SlabCtor weakly(MethodHandle handle) {
        WeakReference<MethodHandle> ref = new WeakReference<>(handle);
        return object -> {
            MethodHandle h = ref.get();
            if (h == null) {
                return;
            }
            try {
                h.invokeExact(object);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        };
    }

    /**
     * The annotation's flags, and {@link SlabFlag#INIT_ON_FREE} for a class whose instances start zeroed (no cache
     * constructor) unless its flags rule that out: its segments are then wiped when freed rather than when handed out,
     * which measured cheaper on a large live set (docs/performance.md). {@code slab4j.debug} adds debug flags to every cache of
     * the global allocator; with POISON among them the cache does not wipe, and {@link #allocate} zeroes instead.
     */
    private static Set<SlabFlag> flags(Slab spec, boolean zeroed) {
        Set<SlabFlag> flags = EnumSet.noneOf(SlabFlag.class);
        flags.addAll(List.of(spec.flags()));
        if (zeroed && !flags.contains(SlabFlag.POISON) && !flags.contains(SlabFlag.TYPESAFE_BY_RCU)) {
            flags.add(SlabFlag.INIT_ON_FREE);
        }
        return flags;
    }

    static SlabConfigurationException fail(Class<?> type, String what, Throwable cause) {
        return new SlabConfigurationException("@Slab class " + type.getName() + ": " + what, cause);
    }

    /** @return the annotated class */
    public Class<?> type() {
        return type;
    }

    /** @return the cache name the type asked for */
    public String cacheName() {
        return cacheName;
    }

    /** @return the type's cache handle */
    public KmemCache cache() {
        return cache;
    }

    /** @return whether instances lost without a free are reclaimed after garbage collection */
    public boolean tracked() {
        return tracked;
    }

    /** @return the site of instances made other than by an instrumented {@code new} */
    public Site unattributed() {
        return unattributed;
    }

    /** @return the sites that allocated at least once, less those forgotten with their class loader */
    public List<Site> sites() {
        Sites.forgetCollected();
        sites.removeIf(Sites::forgotten); // a type of a loader that lives on (a shared library's) outlives them
        return List.copyOf(sites);
    }

    /**
     * @return allocations, less those undone (a constructor that threw, a clone that lost the race with its original's
     *     free; the type's own cache handle counts them)
     */
    public long allocations() {
        return cache.allocations() - failed.sum();
    }

    /** @return explicit frees, including {@code close()} */
    public long frees() {
        return cache.frees() - failed.sum() - leaks.sum();
    }

    /** @return instances reclaimed after garbage collection */
    public long leaks() {
        return leaks.sum();
    }

    /** @return whether the instance allocated now is to be watched for a leak */
    boolean watchNext() {
        if (watchEvery == 0 || --countdown > 0) {
            return false;
        }
        countdown = watchEvery;
        return true;
    }

    /** @return one instance in this many is watched for a leak: 1 for every one, 0 for none */
    int watchEvery() {
        return watchEvery;
    }

    /** @return whether some instances are watched (their frees then look in the {@link Reclaimer}'s table) */
    boolean watches() {
        return watchEvery != 0;
    }

    /** @return whether the class has a {@link #WATCH_FIELD} */
    boolean hasWatchField() {
        return watchGetter != null;
    }

    /**
     * @return the instance's watch reference, or {@code null}; for types that {@link #hasWatchField()}, all of whose
     *     instances are watched (so a clone, which copies the field, has it replaced when its own segment is tracked)
     */
    Object watch(Object instance) {
        try {
            return watchGetter.invokeExact(instance);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets the instance's watch reference; for types that {@link #hasWatchField()} */
    void setWatch(Object instance, Object reference) {
        try {
            watchSetter.invokeExact(instance, reference);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    MemorySegment allocate() {
        return zeroed ? cache.zalloc() : cache.alloc();
    }

    MemorySegment segmentOf(Object instance) {
        return (MemorySegment) segment.getVolatile(instance);
    }

    /** @return the instance's segment, atomically replaced by {@link MemorySegment#NULL} */
    MemorySegment take(Object instance) {
        try {
            return (MemorySegment) getAndSet.invokeExact(instance, MemorySegment.NULL);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    void set(Object instance, MemorySegment value) {
        segment.setVolatile(instance, value);
    }
}
