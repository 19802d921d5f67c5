package org.slab4j.agent;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;

/** Cheap questions about a class file's constant pool, answered without parsing its members or code. */
final class ConstantPool {
    private static final int UTF8 = 1;
    private static final int METHODREF = 10;

    private ConstantPool() {}

    /** @return whether the constant pool holds this exact UTF-8 constant */
    static boolean containsUtf8(ClassReader reader, String text) {
        byte[] wanted = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 1; i < reader.getItemCount(); i++) {
            int offset = reader.getItem(i);
            if (offset == 0
                    || reader.readByte(offset - 1) != UTF8
                    || reader.readUnsignedShort(offset) != wanted.length) {
                continue;
            }
            boolean same = true;
            for (int j = 0; j < wanted.length && same; j++) {
                same = (byte) reader.readByte(offset + 2 + j) == wanted[j];
            }
            if (same) {
                return true;
            }
        }
        return false;
    }

    /** @return the internal names of the classes whose constructors the class file refers to */
    static Set<String> constructedClasses(ClassReader reader) {
        Set<String> owners = new LinkedHashSet<>();
        char[] buffer = new char[reader.getMaxStringLength()];
        for (int i = 1; i < reader.getItemCount(); i++) {
            int offset = reader.getItem(i);
            if (offset == 0 || reader.readByte(offset - 1) != METHODREF) {
                continue;
            }
            int nameAndType = reader.getItem(reader.readUnsignedShort(offset + 2));
            if ("<init>".equals(reader.readUTF8(nameAndType, buffer))) {
                owners.add(reader.readClass(offset, buffer));
            }
        }
        return owners;
    }
}
