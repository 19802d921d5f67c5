package org.slab4j.internal.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A strict parser of one JSON object on one line (objects, arrays, strings, integers, booleans), for assertions. */
final class Json {
    private final String s;
    private int i;

    private Json(String s) {
        this.s = s;
    }

    /** @throws IllegalArgumentException when {@code line} is not exactly one JSON object */
    static Map<String, Object> parseObject(String line) {
        Json p = new Json(line);
        Map<String, Object> o = p.object();
        if (p.i != line.length()) {
            throw new IllegalArgumentException("trailing text at " + p.i + " in " + line);
        }
        return o;
    }

    private Object value() {
        char c = peek();
        if (c == '{') {
            return object();
        } else if (c == '[') {
            return array();
        } else if (c == '"') {
            return string();
        } else if (s.startsWith("true", i)) {
            i += 4;
            return true;
        } else if (s.startsWith("false", i)) {
            i += 5;
            return false;
        } else if (s.startsWith("null", i)) {
            i += 4;
            return null;
        }
        int start = i;
        if (c == '-') {
            i++;
        }
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (start == i) {
            throw new IllegalArgumentException("unexpected '" + c + "' at " + i + " in " + s);
        }
        return Long.parseLong(s.substring(start, i));
    }

    private Map<String, Object> object() {
        expect('{');
        Map<String, Object> o = new LinkedHashMap<>();
        if (peek() == '}') {
            i++;
            return o;
        }
        do {
            String k = string();
            expect(':');
            if (o.containsKey(k)) {
                throw new IllegalArgumentException("duplicate key " + k);
            }
            o.put(k, value());
        } while (next(','));
        expect('}');
        return o;
    }

    private List<Object> array() {
        expect('[');
        List<Object> a = new ArrayList<>();
        if (peek() == ']') {
            i++;
            return a;
        }
        do {
            a.add(value());
        } while (next(','));
        expect(']');
        return a;
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = s.charAt(i++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                throw new IllegalArgumentException("raw control character in a string at " + (i - 1));
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = s.charAt(i++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                }
                default -> throw new IllegalArgumentException("bad escape \\" + e);
            }
        }
    }

    private char peek() {
        if (i >= s.length()) {
            throw new IllegalArgumentException("unexpected end of " + s);
        }
        return s.charAt(i);
    }

    private boolean next(char c) {
        if (i < s.length() && s.charAt(i) == c) {
            i++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw new IllegalArgumentException("expected '" + c + "' at " + i + " in " + s);
        }
        i++;
    }
}
