package org.slab4j.internal.type;

import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OptionalDataException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import org.slab4j.SlabConfigurationException;

/**
 * The hooks that the slab4j agent wires into {@code @Slab} classes, their subclasses and their allocation sites, and
 * that it calls when it instruments a class. Applications call {@link org.slab4j.Slabs}, never these.
 */
public final class SlabHooks {
    private SlabHooks() {}

    /**
     * Registers an allocation site; called by the agent when it instruments a class.
     *
     * @param loader the class's loader: the site is forgotten, and its id reused, once the loader is collected
     * @param typeName the binary name of the {@code @Slab} class allocated there
     * @param location {@code Class.method:line}
     * @return the id to pass to {@link #enterSite(int)}
     */
    public static int registerSite(ClassLoader loader, String typeName, String location) {
        return Sites.register(loader, typeName, location);
    }

    /**
     * Called by instrumented code just before the constructor call of a {@code new} of a {@code @Slab} class.
     *
     * @param site an id from {@link #registerSite}, or 0 for none
     */
    public static void enterSite(int site) {
        Sites.enter(site);
    }

    /**
     * Called by instrumented code on entry to a constructor whose code before {@code super(...)} or {@code this(...)}
     * calls other code, which may itself construct {@code @Slab} objects: takes the calling thread's pending site, which
     * the constructor hands back with {@link #enterSite} just before it needs it.
     *
     * @return the pending site's id, or 0 if none
     */
    public static int takeSite() {
        return Sites.takeAny();
    }

    /**
     * Bootstrap of the constant that instrumented code loads for its {@code @Slab} class (a dynamic constant, resolved
     * once per class): the class's type, or the configuration error that every use of it throws.
     *
     * @param lookup the {@code @Slab} class's own lookup
     * @param name unused: the constant's name
     * @param type unused: {@code Object.class}
     * @return the type, or a {@link SlabConfigurationException}; never throws, since a failed dynamic constant would
     *     fail the same way forever with a less helpful error
     */
    public static Object slabType(MethodHandles.Lookup lookup, String name, Class<?> type) {
        return SlabTypes.constant(lookup.lookupClass());
    }

    /**
     * Called by instrumented code right after {@code super(...)} in a constructor of a {@code @Slab} class.
     *
     * @param instance the instance being constructed
     * @param type the class's {@link #slabType} constant
     * @return the segment to store in the {@code @SlabSegment} field
     * @throws SlabConfigurationException if the class is misconfigured
     */
    public static MemorySegment construct(Object instance, Object type) {
        return SlabTypes.construct(instance, type);
    }

    /**
     * Called by {@link Instrumented#slab4j$free} (and by {@link SlabTypes#free} for a class the agent did not
     * instrument): returns the segment its caller took out of the instance.
     *
     * @param instance the instance being freed
     * @param type the class's {@link #slabType} constant, or its {@link SlabType}
     * @param taken what the {@code @SlabSegment} field held; it now holds {@link MemorySegment#NULL}
     * @param quiet whether an instance already freed is ignored rather than an error
     */
    public static void release(Object instance, Object type, MemorySegment taken, boolean quiet) {
        // The body here, not in SlabTypes: one inlining level less before the wipe (see Slabs.free)
        SlabType slabType = SlabTypes.fromConstant(type);
        if (!SlabTypes.isLive(taken)) {
            SlabTypes.notLive(instance, slabType, taken, quiet);
            return;
        }
        Site site = slabType.watches() ? SlabTypes.untrack(instance, taken, slabType) : null;
        slabType.cache().free(taken);
        if (site != null && slabType.tracked()) {
            site.frees.increment();
        }
    }

    /**
     * Called by instrumented code when a constructor of a {@code @Slab} class throws: gives the segment back.
     *
     * @param instance the instance, or {@code null} when the constructor threw before it initialised it (and so before
     *     it took a segment)
     * @param type the {@code @Slab} class, or {@code null} from a class file that cannot hold a class constant (before
     *     Java 5): the instance's class tells
     */
    public static void constructorFailed(Object instance, Class<?> type) {
        if (instance != null) {
            SlabTypes.constructorFailed(instance, type);
        }
    }

    /** Called by instrumented code after the body of a {@code @Slab} class's {@code close()}: frees unless freed. */
    public static void closed(Object instance) {
        SlabTypes.free(instance, true);
    }

    /**
     * Called by instrumented code at each return of a {@code readResolve()} of a {@code Serializable} {@code @Slab}
     * class or a subclass: an instance that it replaces with another object while deserialization calls it is dropped,
     * so its segment goes back.
     *
     * @param result what {@code readResolve()} returns
     * @param instance the instance just deserialized ({@code this})
     */
    public static void resolved(Object result, Object instance) {
        if (result != instance && calledBySerialization()) {
            SlabTypes.free(instance, true);
        }
    }

    /**
     * @return whether the {@code readResolve()} calling {@link #resolved} was called by deserialization itself (not by
     *     an overriding {@code readResolve()} through {@code super}, nor by application code, whose receiver lives on)
     */
    private static boolean calledBySerialization() {
        // frames: this method, resolved, readResolve, then its caller, past any reflection frames shown
        return RESOLVE_CALLER
                .walk(frames -> frames.skip(3)
                        .filter(f -> !f.getClassName().startsWith("java.lang.invoke.")
                                && !f.getClassName().startsWith("jdk.internal.reflect."))
                        .findFirst())
                .map(f -> f.getDeclaringClass() == ObjectStreamClass.class)
                .orElse(false);
    }

    private static final StackWalker RESOLVE_CALLER =
            StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /**
     * Called by instrumented code after each {@code super.clone()} in a {@code @Slab} class or a subclass (and in the
     * {@code clone()} the agent adds to a {@code @Slab} class that declares none): the copy gets its own segment unless an
     * inner {@code super.clone()} already gave it one.
     *
     * @param copy what {@code super.clone()} returned
     * @param original the instance cloned ({@code this})
     * @param type the {@code @Slab} class
     * @throws IllegalStateException if the original was already freed (the copy then has no segment)
     */
    public static void cloned(Object copy, Object original, Class<?> type) {
        SlabTypes.cloned(copy, original, type);
    }

    /**
     * Called by instrumented code after each {@code super.clone()} in a class without {@code @Slab} that extends none,
     * which may yet be the ancestor of one (a helper such as {@code copy()} that calls {@code super.clone()} reaches
     * {@code Object.clone} with no other hook): a copy that is an instance of a {@code @Slab} class gets its own
     * segment, as {@link #cloned} gives it; any other copy is left alone.
     *
     * @param copy what {@code super.clone()} returned
     * @param original the instance cloned ({@code this})
     * @throws IllegalStateException if the copy is of a {@code @Slab} class and the original was already freed
     */
    public static void clonedAny(Object copy, Object original) {
        if (copy instanceof Instrumented) {
            SlabTypes.cloned(copy, original, copy.getClass());
        }
    }

    /**
     * Called by instrumented code at the end of a {@code Serializable} {@code @Slab} class's {@code writeObject}:
     * writes the segment's bytes after the class's own serial data, as one {@code byte[]} object ({@code null} for a
     * freed instance). An object, not primitives: a {@code readObject} that reads optional trailing primitives until
     * their end (a way serial forms evolve) then stops before it, where its block data ends.
     *
     * @throws IOException if the stream fails
     */
    public static void writeSegment(Object instance, ObjectOutputStream out) throws IOException {
        out.writeObject(SlabTypes.content(instance));
    }

    /**
     * Called by instrumented code at the end of a {@code Serializable} {@code @Slab} class's {@code readObject}: the
     * deserialized instance gets a fresh segment holding the bytes {@link #writeSegment} wrote. Serial data that ends
     * where those bytes would start (written without the agent, or before the class had {@code @Slab}) gives it a fresh
     * segment as its construction would, and a warning once per class.
     *
     * @throws IOException if the stream fails, or holds something else where the segment's bytes should be
     */
    public static void readSegment(Object instance, Class<?> type, ObjectInputStream in) throws IOException {
        Object content;
        try {
            content = in.readObject();
        } catch (OptionalDataException e) {
            if (!e.eof) { // primitives the class's own readObject left unread
                throw e;
            }
            // the end of the class's serial data: no segment bytes were written
            SlabTypes.restoreWithoutContent(instance, type);
            return;
        } catch (ClassNotFoundException e) {
            throw new InvalidClassException(type.getName(), "not the segment's bytes after its serial data: " + e);
        }
        if (content != null && !(content instanceof byte[])) {
            throw new InvalidClassException(
                    type.getName(),
                    "a " + content.getClass().getName()
                            + " where the segment's bytes should follow its serial data (did its readObject leave an object"
                            + " of its own unread?)");
        }
        SlabTypes.restore(instance, type, (byte[]) content);
    }

    /**
     * Called by instrumented code at the start of each constructor of a misconfigured {@code @Slab} class.
     *
     * @param message the class, the problem and its fix, as logged when the class loaded
     * @throws SlabConfigurationException always
     */
    public static void configurationError(String message) {
        throw new SlabConfigurationException(message);
    }
}
