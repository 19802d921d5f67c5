package org.slab4j.agent;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.jar.asm.ClassReader;

/**
 * Answers, per class loader, whether a class name names a {@code @Slab} class, by reading its class file as a
 * resource of that loader (the class is usually not loaded yet when a class that constructs it is). Answers are
 * cached per loader; the cache lets go of a loader that is collected. Like all code on the path every loaded class
 * takes, it avoids lambdas so that applications without {@code @Slab} classes do not pay for their bootstrap.
 */
final class SlabIndex {
    private static final Object BOOTSTRAP = new Object();
    private final Map<Object, Map<String, Boolean>> byLoader = new WeakHashMap<>();

    /** Records the answer for a class being transformed. */
    void record(ClassLoader loader, String internalName, boolean slab) {
        answers(loader).put(internalName, slab);
    }

    boolean isSlab(ClassLoader loader, String internalName) {
        if (loader == null || SlabTransformer.isPlatformClass(internalName)) {
            return false;
        }
        Map<String, Boolean> answers = answers(loader);
        Boolean known = answers.get(internalName);
        if (known == null) {
            known = read(loader, internalName);
            answers.put(internalName, known);
        }
        return known;
    }

    private Map<String, Boolean> answers(ClassLoader loader) {
        Object key = loader == null ? BOOTSTRAP : loader;
        synchronized (byLoader) {
            Map<String, Boolean> answers = byLoader.get(key);
            if (answers == null) {
                answers = new ConcurrentHashMap<>();
                byLoader.put(key, answers);
            }
            return answers;
        }
    }

    private static boolean read(ClassLoader loader, String internalName) {
        try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
            return in != null && SlabClassModel.isSlab(new ClassReader(in.readAllBytes()));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
