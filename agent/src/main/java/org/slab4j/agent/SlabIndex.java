package org.slab4j.agent;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.jar.asm.ClassReader;

/**
 * Answers, per class loader, whether a class name names a {@code @Slab} class, by reading its class file as a
 * resource of that loader (the class is usually not loaded yet when a class that constructs it is). Answers are
 * cached per loader; the cache lets go of a loader that is collected.
 */
final class SlabIndex {
    private static final Object BOOTSTRAP = new Object();
    private final Map<Object, Map<String, Boolean>> byLoader = Collections.synchronizedMap(new WeakHashMap<>());

    /** Records the answer for a class being transformed. */
    void record(ClassLoader loader, String internalName, boolean slab) {
        answers(loader).put(internalName, slab);
    }

    boolean isSlab(ClassLoader loader, String internalName) {
        if (loader == null || SlabTransformer.isPlatformClass(internalName)) {
            return false;
        }
        return answers(loader).computeIfAbsent(internalName, name -> read(loader, name));
    }

    private Map<String, Boolean> answers(ClassLoader loader) {
        return byLoader.computeIfAbsent(loader == null ? BOOTSTRAP : loader, l -> new ConcurrentHashMap<>());
    }

    private static boolean read(ClassLoader loader, String internalName) {
        try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
            return in != null && SlabClassModel.isSlab(new ClassReader(in.readAllBytes()));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
