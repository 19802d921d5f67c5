package org.slab4j.it;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.io.EOFException;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slab4j.Slabs;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;

/**
 * Writes two {@link Kept}s, a {@link Custom}, a {@link Tagged} and a string to a file, with or without the agent (with it, each segment
 * holds a pattern of its own), or reads them back with the agent and prints each object's fields and segment bytes.
 * {@link SerialIT} runs it.
 *
 * <p>Arguments: {@code write} or {@code read}, then the file.
 */
public final class SerialApp {
    private SerialApp() {}

    /** Its cache constructor marks each fresh segment. */
    @Slab(size = 8, ctor = "init")
    static final class Kept implements Serializable {
        private static final long serialVersionUID = 1L;

        @SlabSegment
        MemorySegment mem;

        String label = "kept";

        static void init(MemorySegment m) {
            m.set(JAVA_BYTE, 7, (byte) 0x7f);
        }
    }

    /** Writes custom data of its own after its fields, and reads it back. */
    @Slab(size = 8)
    static final class Custom implements Serializable {
        private static final long serialVersionUID = 1L;

        @SlabSegment
        MemorySegment mem;

        transient int count = 3;
        transient String note = "custom";

        private void writeObject(ObjectOutputStream out) throws IOException {
            out.defaultWriteObject();
            out.writeInt(count);
            out.writeObject(note);
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            count = in.readInt();
            note = (String) in.readObject();
        }
    }

    /** Writes optional trailing data after its fields and reads it until the end of its data, as a versioned form may. */
    @Slab(size = 8)
    static final class Tagged implements Serializable {
        private static final long serialVersionUID = 1L;

        @SlabSegment
        MemorySegment mem;

        transient List<Integer> tags = List.of(1, 2);

        private void writeObject(ObjectOutputStream out) throws IOException {
            out.defaultWriteObject();
            for (int tag : tags) {
                out.writeInt(tag);
            }
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            tags = new ArrayList<>();
            try {
                while (true) {
                    tags.add(in.readInt());
                }
            } catch (EOFException end) {
                // the end of its own data
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        if (args[0].equals("write")) {
            Object[] objects = {new Kept(), new Kept(), new Custom(), new Tagged()};
            try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(file))) {
                byte mark = 1;
                for (Object object : objects) {
                    if (object instanceof Kept kept && kept.mem != null) {
                        kept.mem.fill(mark++);
                    } else if (object instanceof Custom custom && custom.mem != null) {
                        custom.mem.fill(mark++);
                    } else if (object instanceof Tagged tagged && tagged.mem != null) {
                        tagged.mem.fill(mark++);
                    }
                    out.writeObject(object);
                }
                out.writeObject("after");
            }
            System.out.println("written");
            return;
        }
        try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(file))) {
            for (int i = 0; i < 2; i++) {
                Kept kept = (Kept) in.readObject();
                System.out.println("kept " + kept.label + " " + bytes(kept));
            }
            Custom custom = (Custom) in.readObject();
            System.out.println("custom " + custom.count + " " + custom.note + " " + bytes(custom));
            Tagged tagged = (Tagged) in.readObject();
            System.out.println("tagged " + tagged.tags + " " + bytes(tagged));
            System.out.println("then " + in.readObject());
        }
    }

    private static String bytes(Object instance) {
        return HexFormat.of().formatHex(Slabs.segmentOf(instance).toArray(JAVA_BYTE));
    }
}
