package org.slab4j.agent;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * What the agent needs to know about a class file carrying {@code @Slab}, read without loading it: the annotation's
 * values, the {@code @SlabSegment} fields, the members a layout or ctor name may refer to, and (once {@link #resolve}d
 * through the {@link SlabIndex}) what it inherits: an ancestor carrying {@code @Slab}, {@code Serializable},
 * {@code AutoCloseable}, {@code clone()} methods. {@link #problem()} checks the configuration and words the fix.
 */
final class SlabClassModel extends ClassVisitor {
    static final String SLAB = "Lorg/slab4j/annotation/Slab;";
    static final String SLAB_SEGMENT = "Lorg/slab4j/annotation/SlabSegment;";
    static final String MEMORY_SEGMENT = "Ljava/lang/foreign/MemorySegment;";

    private record Member(int access, String name, String desc) {}

    String name;
    String superName;
    private int access;
    private int version;
    private String[] interfaces = new String[0];
    private boolean annotated;
    private long size;
    private long align;
    private String layout = "";
    private String ctor = "";
    private String release = "";
    private String cacheName = "";
    private final List<String> flags = new ArrayList<>();
    private final List<Member> fields = new ArrayList<>();
    private final List<Member> segmentFields = new ArrayList<>();
    private final List<Member> methods = new ArrayList<>();
    private String slabAncestor;
    private boolean serializable;
    private boolean closeable;
    private List<String> inheritedClones = List.of();
    /** The first method that stores into the {@code @SlabSegment} field, or {@code null}. */
    private String assignedIn;

    private SlabClassModel() {
        super(Opcodes.ASM9);
    }

    /** @return the model of the class, or {@code null} if it does not carry {@code @Slab} */
    static SlabClassModel read(ClassReader reader) {
        SlabClassModel model = new SlabClassModel();
        reader.accept(model, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        if (!model.annotated) {
            return null;
        }
        if (model.segmentFields.size() == 1) {
            model.assignedIn = assignedIn(reader, Set.of(model.name), model.segmentField(), false);
        }
        return model;
    }

    /**
     * @param owners the classes a store names the field by: the class that declares it, or a subclass's supertypes up to
     *     that one (javac names the field by the type it is read through, {@code Sub.mem})
     * @param inherited whether the class inherits the field (then a store to a field of that name that it declares
     *     itself is to its own)
     * @return the first method of the class that stores into the segment field {@code field} (a field initializer is
     *     such a store in {@code <init>}), or {@code null}: a store would overwrite the segment the agent gave the
     *     instance
     */
    private static String assignedIn(ClassReader reader, Set<String> owners, String field, boolean inherited) {
        String[] found = new String[1];
        boolean[] shadowed = new boolean[1];
        String self = reader.getClassName();
        reader.accept(
                new ClassVisitor(Opcodes.ASM9) {
                    @Override
                    public FieldVisitor visitField(
                            int access, String name, String descriptor, String signature, Object value) {
                        shadowed[0] |= inherited && name.equals(field);
                        return null;
                    }

                    @Override
                    public MethodVisitor visitMethod(
                            int access, String method, String descriptor, String signature, String[] exceptions) {
                        return found[0] != null
                                ? null
                                : new MethodVisitor(Opcodes.ASM9) {
                                    @Override
                                    public void visitFieldInsn(int opcode, String o, String n, String d) {
                                        if (opcode == Opcodes.PUTFIELD
                                                && owners.contains(o)
                                                && !(shadowed[0] && o.equals(self))
                                                && n.equals(field)
                                                && d.equals(MEMORY_SEGMENT) // a field of another type is another field
                                                && found[0] == null) {
                                            found[0] = method;
                                        }
                                    }
                                };
                    }
                },
                ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return found[0];
    }

    /**
     * @param slabType the class's {@code @Slab} ancestor
     * @param between the classes from the class's superclass up to {@code slabType}
     * @param field the ancestor's {@code @SlabSegment} field, or {@code null} if it has none or several
     * @return the configuration problem of a subclass of a {@code @Slab} class that stores into the segment field it
     *     inherits, which would overwrite its segment (and have two instances share one), as one line naming the
     *     subclass, the method and the fix, or {@code null} if it stores none
     */
    static String subclassProblem(ClassReader reader, String slabType, Set<String> between, String field) {
        if (field == null) {
            return null;
        }
        Set<String> owners = new HashSet<>(between);
        owners.add(reader.getClassName());
        String method = assignedIn(reader, owners, field, true);
        return method == null
                ? null
                : "subclass " + reader.getClassName().replace('/', '.') + " of @Slab class "
                        + slabType.replace('/', '.') + ": " + assigned(field, method);
    }

    /** @return the problem of a segment field assigned in {@code method}, and its fix */
    private static String assigned(String field, String method) {
        String where = method.equals("<init>")
                ? "a constructor (a field initializer such as '" + field + " = ...' is one)"
                : "method " + method + "()";
        return "@SlabSegment field " + field + " is assigned in " + where + ", which would overwrite the segment the"
                + " agent gives each instance and lose it; remove the assignment and let the agent set the field";
    }

    /**
     * @return the model of the class file if it carries {@code @Slab} and is a class the agent instruments (see
     *     {@link #leftAlone}), else {@code null}, reading only its header and members
     */
    static SlabClassModel ofSlab(ClassReader reader) {
        if (!ConstantPool.containsUtf8(reader, SLAB)) {
            return null;
        }
        SlabClassModel model = read(reader);
        return model != null && !model.leftAlone() ? model : null;
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
        this.access = access;
        this.version = version;
        this.name = name;
        this.superName = superName;
        this.interfaces = interfaces == null ? new String[0] : interfaces;
    }

    @Override
    public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
        if (!SLAB.equals(descriptor)) {
            return null;
        }
        annotated = true;
        return new AnnotationVisitor(Opcodes.ASM9) {
            @Override
            public void visit(String key, Object value) {
                switch (key) {
                    case "size" -> size = (Long) value;
                    case "align" -> align = (Long) value;
                    case "layout" -> layout = (String) value;
                    case "ctor" -> ctor = (String) value;
                    case "name" -> cacheName = (String) value;
                    default -> {}
                }
            }

            @Override
            public AnnotationVisitor visitArray(String key) {
                return !key.equals("flags")
                        ? null
                        : new AnnotationVisitor(Opcodes.ASM9) {
                            @Override
                            public void visitEnum(String unnamed, String descriptor, String value) {
                                flags.add(value);
                            }
                        };
            }

            @Override
            public void visitEnum(String key, String descriptor, String value) {
                if (key.equals("release")) {
                    release = value;
                }
            }
        };
    }

    @Override
    public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
        Member field = new Member(access, name, descriptor);
        fields.add(field);
        return new FieldVisitor(Opcodes.ASM9) {
            @Override
            public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
                if (SLAB_SEGMENT.equals(annotation)) {
                    segmentFields.add(field);
                }
                return null;
            }
        };
    }

    @Override
    public MethodVisitor visitMethod(
            int access, String name, String descriptor, String signature, String[] exceptions) {
        methods.add(new Member(access, name, descriptor));
        return null;
    }

    /**
     * @return the values of the class's {@code @Slab}, defaults included, as one string: equal for two annotations that
     *     {@code Annotation.equals} finds equal
     */
    String spec() {
        return "name=" + cacheName + ", size=" + size + ", layout=" + layout + ", align=" + align + ", flags=" + flags
                + ", ctor=" + ctor + ", release=" + (release.isEmpty() ? "SAMPLED" : release);
    }

    /**
     * @return whether the class carries a copy of the {@code @Slab} of its {@code @Slab} ancestor and has no
     *     {@code @SlabSegment} field of its own: a generated subclass (Mockito's subclass mocks copy the annotations of
     *     the class they extend), which is a subclass like any other, not a second {@code @Slab} class
     */
    boolean copiesAncestor(SlabIndex index, ClassLoader loader) {
        if (!segmentFields.isEmpty() || leftAlone()) {
            return false;
        }
        String ancestor = index.slabTypeOf(loader, superName);
        return ancestor != null && spec().equals(index.specOf(loader, ancestor));
    }

    /** @return whether the class asks for {@code release = TRACKED}, so that every instance is watched */
    boolean tracked() {
        return release.equals("TRACKED");
    }

    /** @return the name of the {@code @SlabSegment} field (valid models only) */
    String segmentField() {
        return segmentFields.getFirst().name();
    }

    /** @return the name of the class's one {@code @SlabSegment} field, or {@code null} if it has none or several */
    String segmentFieldIfOne() {
        return segmentFields.size() == 1 ? segmentField() : null;
    }

    /**
     * Looks up, through the index, what the class inherits from its supertypes (which are usually not loaded yet).
     *
     * @param loader the class's loader
     */
    void resolve(SlabIndex index, ClassLoader loader) {
        slabAncestor = index.slabTypeOf(loader, superName);
        serializable = index.implementsInterface(loader, superName, interfaces, "java/io/Serializable");
        closeable = index.implementsInterface(loader, superName, interfaces, "java/lang/AutoCloseable");
        inheritedClones =
                declares("clone", "()Ljava/lang/Object;") ? List.of() : index.inheritedClones(loader, superName);
    }

    /** @return whether the class is {@code Serializable}, itself or through a supertype */
    boolean serializable() {
        return serializable;
    }

    /** @return whether the class declares this method */
    boolean declares(String method, String descriptor) {
        return methods.stream()
                .anyMatch(m -> m.name().equals(method) && m.desc().equals(descriptor));
    }

    /** @return whether the class is {@code AutoCloseable} (itself or through a supertype) and declares {@code close()} */
    boolean closesItself() {
        return closeable && declares("close", "()V");
    }

    /**
     * @return descriptors of the {@code clone()} methods the class inherits from a superclass other than {@code Object}
     *     without declaring them itself (empty if it declares {@code clone()}): the agent overrides them, so that a
     *     copy made by the inherited method gets a segment of its own
     */
    List<String> inheritedClones() {
        List<String> out = new ArrayList<>();
        for (String descriptor : inheritedClones) {
            if (!declares("clone", descriptor)) {
                out.add(descriptor);
            }
        }
        return out;
    }

    /**
     * @return whether instances of the class may reach {@code Object.clone} without passing a {@code super.clone()} the
     *     agent instruments: the class declares no {@code clone()} and inherits none from a superclass below
     *     {@code Object}; the agent then adds one, which every subclass inherits
     */
    boolean reachesObjectClone() {
        return inheritedClones.isEmpty()
                && methods.stream()
                        .noneMatch(m -> m.name().equals("clone") && m.desc().startsWith("()L"));
    }

    /**
     * @return whether the class is an enum, an interface or an annotation, which the agent leaves as they are (a
     *     configuration error it only reports): their constructors, if any, are the JDK's to call
     */
    boolean leftAlone() {
        return (access & (Opcodes.ACC_ENUM | Opcodes.ACC_INTERFACE | Opcodes.ACC_ANNOTATION)) != 0;
    }

    /** @return the configuration problem and its fix, as one line naming the class, or {@code null} if none */
    String problem() {
        String p = findProblem();
        return p == null ? null : "@Slab class " + name.replace('/', '.') + ": " + p;
    }

    private String findProblem() {
        if ((access & Opcodes.ACC_ANNOTATION) != 0 || (access & Opcodes.ACC_INTERFACE) != 0) {
            return "@Slab cannot go on an interface or annotation; put it on a class";
        }
        if ((access & Opcodes.ACC_ENUM) != 0) {
            return "@Slab cannot go on an enum; put it on a class";
        }
        if ("java/lang/Record".equals(superName)) {
            return "@Slab cannot go on a record (its fields are final); use a final class";
        }
        if ((version & 0xFFFF) < Opcodes.V11) {
            return "its class file is version " + (version & 0xFFFF) + " (before Java 11), too old for the agent's"
                    + " constants; compile it with --release 22 or later, as its MemorySegment field needs anyway";
        }
        for (String clone : inheritedClones()) {
            if (clone.startsWith(SlabIndex.FINAL)) {
                return "it inherits a final clone() from " + superName.replace('/', '.') + ", whose copies would share"
                        + " the original's segment; declare clone() in a class the agent can instrument, or drop it";
            }
        }
        if (slabAncestor != null) {
            return "it extends @Slab class " + slabAncestor.replace('/', '.') + ", whose cache and segment it shares;"
                    + " remove @Slab (and the @SlabSegment field) from the subclass";
        }
        if (size < 0 || (size == 0 && layout.isEmpty())) {
            return "size " + size + " is not positive; give @Slab(size = N) with N > 0, or layout = \"FIELD\"";
        }
        if (size > 0 && !layout.isEmpty()) {
            return "both size and layout are given; keep one of them";
        }
        if (align < 0 || (align & (align - 1)) != 0) {
            return "align " + align + " is not a power of two; give a power of two, or 0 for the default";
        }
        if (!layout.isEmpty()) {
            Member f = fields.stream()
                    .filter(m -> m.name().equals(layout))
                    .findFirst()
                    .orElse(null);
            if (f == null
                    || (f.access() & Opcodes.ACC_STATIC) == 0
                    || !f.desc().startsWith("Ljava/lang/foreign/")
                    || !f.desc().contains("Layout")) {
                return "layout \"" + layout + "\" names no static MemoryLayout field; declare 'static final "
                        + "MemoryLayout " + layout + " = ...' or fix the name";
            }
        }
        if (!ctor.isEmpty()
                && methods.stream()
                        .noneMatch(m -> m.name().equals(ctor)
                                && m.desc().equals("(" + MEMORY_SEGMENT + ")V")
                                && (m.access() & Opcodes.ACC_STATIC) != 0)) {
            return "ctor \"" + ctor + "\" names no 'static void " + ctor + "(MemorySegment)' method; declare one"
                    + " or fix the name";
        }
        if (segmentFields.isEmpty()) {
            return "no @SlabSegment field; declare '@SlabSegment MemorySegment mem;'";
        }
        if (segmentFields.size() > 1) {
            return segmentFields.size() + " @SlabSegment fields; keep exactly one";
        }
        Member f = segmentFields.getFirst();
        if (!f.desc().equals(MEMORY_SEGMENT)) {
            return "@SlabSegment field " + f.name() + " has type " + f.desc() + "; declare it as MemorySegment";
        }
        if ((f.access() & (Opcodes.ACC_STATIC | Opcodes.ACC_FINAL)) != 0) {
            return "@SlabSegment field " + f.name() + " is static or final; make it a plain instance field";
        }
        if (assignedIn != null) {
            return assigned(f.name(), assignedIn);
        }
        return null;
    }
}
