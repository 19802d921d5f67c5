package org.slab4j.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
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
    private final Map<String, JarFile> jars = new ConcurrentHashMap<>();
    private final String[] classPath = System.getProperty("java.class.path", "").split(File.pathSeparator);

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

    private boolean read(ClassLoader loader, String internalName) {
        String name = internalName + ".class";
        try (InputStream in = loader == ClassLoader.getSystemClassLoader() ? fromClassPath(name) : null) {
            if (in != null) {
                return SlabClassModel.isSlab(new ClassReader(in.readAllBytes()));
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        try (InputStream in = loader.getResourceAsStream(name)) {
            return in != null && SlabClassModel.isSlab(new ClassReader(in.readAllBytes()));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Finds a class file of the system class loader in the {@code java.class.path} entries directly: asking the loader
     * searches the runtime image's modules and opens a {@code URLConnection} first, which made each look-up cost
     * hundreds of microseconds at startup.
     *
     * @return the class file, or {@code null} to ask the loader
     */
    private InputStream fromClassPath(String name) throws IOException {
        for (String entry : classPath) {
            Path path = Path.of(entry);
            if (entry.endsWith(".jar")) {
                JarFile jar = jar(entry);
                ZipEntry zipEntry = jar == null ? null : jar.getEntry(name);
                if (zipEntry != null) {
                    return jar.getInputStream(zipEntry);
                }
            } else if (Files.isRegularFile(path.resolve(name))) {
                return Files.newInputStream(path.resolve(name));
            }
        }
        return null;
    }

    private JarFile jar(String path) {
        JarFile jar = jars.get(path);
        if (jar == null) {
            try {
                jar = new JarFile(path, false);
            } catch (IOException e) {
                return null;
            }
            JarFile raced = jars.putIfAbsent(path, jar);
            if (raced != null) {
                try {
                    jar.close();
                } catch (IOException e) {
                    // the other thread's copy is in use
                }
                jar = raced;
            }
        }
        return jar;
    }
}
