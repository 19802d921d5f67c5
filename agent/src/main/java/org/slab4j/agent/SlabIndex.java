package org.slab4j.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Answers, per class loader, what the agent needs to know of classes it has not loaded: whether a class carries
 * {@code @Slab}, which of its ancestors does, which interfaces it implements through its supertypes, and which
 * {@code clone()} methods it inherits. Each class file is read once per loader, as a resource of that loader (the
 * class is usually not loaded yet when a class that constructs or extends it is), headers only, and its answers are
 * cached; the cache lets go of a loader that is collected. Like all code on the path every loaded class takes, it
 * avoids lambdas so that applications without {@code @Slab} classes do not pay for their bootstrap.
 */
final class SlabIndex {
    /** How many supertypes up a walk goes at most: deeper hierarchies are cut there (and a malformed cycle too). */
    private static final int MAX_DEPTH = 64;

    /** Prefixes the descriptor of a final {@code clone()} in {@link #inheritedClones}. */
    static final String FINAL = "final ";

    private static final Object BOOTSTRAP = new Object();
    /** A class file that could not be read: no {@code @Slab}, no known supertypes. */
    private static final Header UNREADABLE = new Header(false, null, new String[0], List.of(), null, null);

    private final Map<Object, Map<String, Header>> byLoader = new WeakHashMap<>();
    private final Map<String, JarFile> jars = new ConcurrentHashMap<>();
    private final String[] classPath = System.getProperty("java.class.path", "").split(File.pathSeparator);

    /**
     * What the index keeps of a class file.
     *
     * @param slab whether the class carries {@code @Slab}
     * @param superName the superclass, or {@code null}
     * @param interfaces the interfaces the class names itself
     * @param clones descriptors of the {@code clone()} methods it declares (not bridges, private or static ones; a final
     *     one prefixed with {@link #FINAL}), or {@code null} when not read yet
     * @param segmentField the {@code @SlabSegment} field of a {@code @Slab} class, or {@code null} if none or several
     * @param spec the values of a {@code @Slab} class's annotation ({@link SlabClassModel#spec}), else {@code null}
     */
    private record Header(
            boolean slab,
            String superName,
            String[] interfaces,
            List<String> clones,
            String segmentField,
            String spec) {}

    /**
     * Records what a class being transformed says of itself; its clone methods are read later if asked for.
     *
     * @param model the class's model if it carries {@code @Slab}, else {@code null}
     */
    void record(ClassLoader loader, ClassReader reader, SlabClassModel model) {
        answers(loader)
                .put(
                        reader.getClassName(),
                        new Header(
                                model != null,
                                reader.getSuperName(),
                                reader.getInterfaces(),
                                null,
                                model == null ? null : model.segmentFieldIfOne(),
                                model == null ? null : model.spec()));
    }

    /**
     * @param slabType a {@code @Slab} class that {@link #slabTypeOf} found
     * @return the name of its {@code @SlabSegment} field, or {@code null} if it has none or several (a misconfigured
     *     class, whose constructors throw anyway)
     */
    String segmentFieldOf(ClassLoader loader, String slabType) {
        return header(loader, slabType).segmentField();
    }

    /**
     * @param slabType a {@code @Slab} class that {@link #slabTypeOf} found
     * @return the values of its annotation ({@link SlabClassModel#spec})
     */
    String specOf(ClassLoader loader, String slabType) {
        return header(loader, slabType).spec();
    }

    /**
     * @param slabType the {@code @Slab} ancestor that {@link #slabTypeOf} found for {@code superName}
     * @return {@code superName} and its superclasses up to {@code slabType}
     */
    Set<String> superclassesUpTo(ClassLoader loader, String superName, String slabType) {
        Set<String> found = new HashSet<>();
        String name = superName;
        for (int depth = 0; name != null && depth < MAX_DEPTH && found.add(name) && !name.equals(slabType); depth++) {
            name = header(loader, name).superName();
        }
        return found;
    }

    /** @return whether the class carries {@code @Slab} (platform classes never do, and are not read) */
    boolean isSlab(ClassLoader loader, String internalName) {
        return loader != null
                && !SlabTransformer.isPlatformClass(internalName)
                && header(loader, internalName).slab();
    }

    /**
     * @return the class itself if it carries {@code @Slab}, else its nearest ancestor that does, else {@code null}
     */
    String slabTypeOf(ClassLoader loader, String internalName) {
        String name = internalName;
        for (int depth = 0; name != null && depth < MAX_DEPTH; depth++) {
            if (loader == null || SlabTransformer.isPlatformClass(name)) {
                return null; // platform classes extend no application class
            }
            Header h = header(loader, name);
            if (h.slab()) {
                return name;
            }
            name = h.superName();
        }
        return null;
    }

    /**
     * @param superName the superclass of the class asked about
     * @param interfaces the interfaces it names itself
     * @param target an interface, such as {@code java/io/Serializable}
     * @return whether the class implements {@code target} through any of its supertypes
     */
    boolean implementsInterface(ClassLoader loader, String superName, String[] interfaces, String target) {
        Deque<String> todo = new ArrayDeque<>(List.of(interfaces));
        if (superName != null) {
            todo.add(superName);
        }
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty() && seen.size() < MAX_DEPTH * 4) {
            String name = todo.poll();
            if (name.equals(target)) {
                return true;
            }
            if (name.equals("java/lang/Object") || !seen.add(name)) {
                continue;
            }
            Header h = header(loader, name);
            todo.addAll(List.of(h.interfaces()));
            if (h.superName() != null) {
                todo.add(h.superName());
            }
        }
        return false;
    }

    /**
     * @param superName the superclass of the class asked about
     * @return the descriptors of the {@code clone()} methods declared by its nearest ancestor below {@code Object} that
     *     declares any (which the class inherits; a final one prefixed with {@link #FINAL}), or an empty list
     */
    List<String> inheritedClones(ClassLoader loader, String superName) {
        String name = superName;
        for (int depth = 0; name != null && !name.equals("java/lang/Object") && depth < MAX_DEPTH; depth++) {
            Header h = header(loader, name);
            if (h.clones() == null) {
                h = read(loader, name);
                answers(loader).put(name, h);
            }
            if (!h.clones().isEmpty()) {
                return h.clones();
            }
            name = h.superName();
        }
        return List.of();
    }

    private Header header(ClassLoader loader, String internalName) {
        Map<String, Header> answers = answers(loader);
        Header known = answers.get(internalName);
        if (known == null) {
            known = read(loader, internalName);
            answers.put(internalName, known);
        }
        return known;
    }

    private Map<String, Header> answers(ClassLoader loader) {
        Object key = loader == null ? BOOTSTRAP : loader;
        synchronized (byLoader) {
            Map<String, Header> answers = byLoader.get(key);
            if (answers == null) {
                answers = new ConcurrentHashMap<>();
                byLoader.put(key, answers);
            }
            return answers;
        }
    }

    private Header read(ClassLoader loader, String internalName) {
        String name = internalName + ".class";
        try (InputStream in = loader == ClassLoader.getSystemClassLoader() ? fromClassPath(name) : null) {
            if (in != null) {
                return header(loader, new ClassReader(in.readAllBytes()));
            }
        } catch (IOException | RuntimeException e) {
            return UNREADABLE;
        }
        ClassLoader from = loader == null ? ClassLoader.getPlatformClassLoader() : loader;
        try (InputStream in = from.getResourceAsStream(name)) {
            return in == null ? UNREADABLE : header(loader, new ClassReader(in.readAllBytes()));
        } catch (IOException | RuntimeException e) {
            return UNREADABLE;
        }
    }

    /**
     * @return what the index keeps of a class file of {@code loader}: as {@link #record} keeps it once the class is
     *     transformed, so that a class file that copies its ancestor's {@code @Slab} is a plain subclass here too
     */
    private Header header(ClassLoader loader, ClassReader reader) {
        List<String> clones = new ArrayList<>();
        reader.accept(
                new ClassVisitor(Opcodes.ASM9) {
                    @Override
                    public MethodVisitor visitMethod(
                            int access, String name, String descriptor, String signature, String[] exceptions) {
                        int hidden = Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_BRIDGE;
                        if (name.equals("clone") && descriptor.startsWith("()L") && (access & hidden) == 0) {
                            clones.add((access & Opcodes.ACC_FINAL) != 0 ? FINAL + descriptor : descriptor);
                        }
                        return null;
                    }
                },
                ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        SlabClassModel model = SlabClassModel.ofSlab(reader);
        if (model != null && model.copiesAncestor(this, loader)) {
            model = null;
        }
        return new Header(
                model != null,
                reader.getSuperName(),
                reader.getInterfaces(),
                List.copyOf(clones),
                model == null ? null : model.segmentFieldIfOne(),
                model == null ? null : model.spec());
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
