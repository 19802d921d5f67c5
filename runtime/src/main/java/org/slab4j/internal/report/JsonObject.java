package org.slab4j.internal.report;

import java.util.List;

/**
 * Writes one JSON object on one line: fields in the order added, strings escaped as RFC 8259 requires, {@code null}
 * for a value that is not known.
 */
public final class JsonObject {
    private final StringBuilder sb = new StringBuilder(256).append('{');

    /** Adds a string field. */
    public JsonObject field(String name, String value) {
        key(name);
        string(value);
        return this;
    }

    /** Adds a number field. */
    public JsonObject field(String name, long value) {
        key(name);
        sb.append(value);
        return this;
    }

    /** Adds an array of strings. */
    public JsonObject field(String name, List<String> values) {
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
    public JsonObject object(String name, JsonObject value) {
        key(name);
        sb.append(value);
        return this;
    }

    /** Adds a number field, or {@code null} when the number is not known. */
    public JsonObject fieldOrNull(String name, Long value) {
        key(name);
        sb.append(value == null ? "null" : value.toString());
        return this;
    }

    /** Adds a boolean field. */
    public JsonObject field(String name, boolean value) {
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
