package org.slab4j.agent.live;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough JSON for the report lines: {@link #parse} reads one value (objects as {@link Map}, arrays as
 * {@link List}, numbers as {@link Double}, {@code true}/{@code false}, {@code null}, strings), {@link #write} writes
 * one. The agent jar carries no JSON library.
 */
final class Json {
    /** How deep objects and arrays may nest (report lines nest two deep), so that a line cannot overflow the stack. */
    private static final int MAX_DEPTH = 512;

    private final String s;
    private int i;
    private int depth;

    private Json(String s, int start) {
        this.s = s;
        this.i = start;
    }

    /**
     * @return the value that starts at {@code start} of {@code text}
     * @throws IllegalArgumentException when the text there is not JSON
     */
    static Object parse(String text, int start) {
        Json p = new Json(text, start);
        Object v = p.value();
        p.space();
        if (p.i != text.length()) {
            throw p.error("text after the value");
        }
        return v;
    }

    private Object value() {
        space();
        if (i >= s.length()) {
            throw error("a value");
        }
        char c = s.charAt(i);
        if ((c == '{' || c == '[') && depth == MAX_DEPTH) {
            throw error("objects and arrays nested no deeper than " + MAX_DEPTH);
        }
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                return word("true", Boolean.TRUE);
            case 'f':
                return word("false", Boolean.FALSE);
            case 'n':
                return word("null", null);
            default:
                return number();
        }
    }

    private Map<String, Object> object() {
        Map<String, Object> m = new LinkedHashMap<>();
        i++;
        space();
        if (peek('}')) {
            return m;
        }
        depth++;
        do {
            space();
            String key = string();
            space();
            expect(':');
            m.put(key, value());
            space();
        } while (peek(','));
        expect('}');
        depth--;
        return m;
    }

    private List<Object> array() {
        List<Object> a = new ArrayList<>();
        i++;
        space();
        if (peek(']')) {
            return a;
        }
        depth++;
        do {
            a.add(value());
            space();
        } while (peek(','));
        expect(']');
        depth--;
        return a;
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (i >= s.length()) {
                break;
            }
            char e = s.charAt(i++);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'u' -> {
                    if (i + 4 > s.length()) {
                        throw error("four hex digits");
                    }
                    sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                }
                default -> sb.append(e); // \" \\ \/
            }
        }
        throw error("the end of the string");
    }

    private Object word(String w, Object v) {
        if (!s.startsWith(w, i)) {
            throw error("a value");
        }
        i += w.length();
        return v;
    }

    private Double number() {
        int start = i;
        while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        try {
            return Double.valueOf(s.substring(start, i));
        } catch (NumberFormatException e) {
            throw error("a value");
        }
    }

    private void space() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
    }

    private boolean peek(char c) {
        if (i < s.length() && s.charAt(i) == c) {
            i++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("'" + c + "'");
        }
    }

    private IllegalArgumentException error(String expected) {
        return new IllegalArgumentException("expected " + expected + " at column " + (i + 1));
    }

    /** Appends {@code v} (a map, list, string, number, boolean or null) as JSON, safe inside an HTML script. */
    static void write(StringBuilder sb, Object v) {
        if (v == null || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                sb.append("null");
            } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                sb.append((long) d);
            } else {
                sb.append(d);
            }
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(first ? "" : ",");
                first = false;
                write(sb, String.valueOf(e.getKey()));
                sb.append(':');
                write(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int k = 0; k < l.size(); k++) {
                sb.append(k == 0 ? "" : ",");
                write(sb, l.get(k));
            }
            sb.append(']');
        } else {
            String str = v.toString();
            sb.append('"');
            for (int k = 0; k < str.length(); k++) {
                char c = str.charAt(k);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '<', '>', '&', '\u2028', '\u2029' -> sb.append(String.format("\\u%04x", (int) c));
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            sb.append('"');
        }
    }
}
