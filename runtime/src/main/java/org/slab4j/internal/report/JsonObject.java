package org.slab4j.internal.report;

import java.util.List;

/** Writes one JSON object on one line: fields in the order added, strings escaped as RFC 8259 requires. */
final class JsonObject {
    private final StringBuilder sb = new StringBuilder(256).append('{');

    JsonObject field(String name, String value) {
        key(name);
        string(value);
        return this;
    }

    JsonObject field(String name, long value) {
        key(name);
        sb.append(value);
        return this;
    }

    JsonObject field(String name, List<String> values) {
        key(name);
        sb.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            string(values.get(i));
        }
        sb.append(']');
        return this;
    }

    /** Adds {@code value}, a complete JSON object, as a field. */
    JsonObject object(String name, JsonObject value) {
        key(name);
        sb.append(value);
        return this;
    }

    private void key(String name) {
        if (sb.length() > 1) {
            sb.append(',');
        }
        string(name);
        sb.append(':');
    }

    private void string(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (ch < 0x20 || ch == '\u2028' || ch == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** @return the object's text, closed */
    @Override
    public String toString() {
        return sb + "}";
    }
}
