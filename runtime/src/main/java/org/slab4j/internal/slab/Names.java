package org.slab4j.internal.slab;

import java.util.regex.Pattern;

/**
 * The names that head lines of slabinfo, the reports and the logs: those of caches and of allocators. A name must not
 * forge or garble the lines it appears in: a control character can break a line, a format character (a right-to-left
 * override, a zero-width space) reorders or hides what follows it, and white space splits a slabinfo row into columns.
 */
public final class Names {
    /** What a cache name cannot hold: white space of any kind ({@code \p{Z}}), control and format characters. */
    private static final Pattern NOT_IN_CACHE = Pattern.compile("[\\p{Z}\\p{Cc}\\p{Cf}]+");
    /** What an allocator name cannot hold: line and paragraph separators, control and format characters. */
    private static final Pattern NOT_IN_ALLOCATOR = Pattern.compile("[\\p{Zl}\\p{Zp}\\p{Cc}\\p{Cf}]+");

    private Names() {}

    /**
     * @throws IllegalArgumentException naming the cache (with those characters shown as {@code ?}) and a name to use
     *     instead, when {@code name} is empty or holds white space, control or format characters
     */
    public static void checkCache(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a cache needs a non-empty name");
        }
        check(
                name,
                NOT_IN_CACHE,
                "cache",
                "white space, control or format characters (slabinfo rows are split on white" + " space)");
    }

    /**
     * @throws IllegalArgumentException naming the allocator and a name to use instead, when {@code name} is empty or
     *     holds a line break, control or format characters; spaces are allowed, as reports quote the name
     */
    public static void checkAllocator(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("an allocator needs a non-empty name");
        }
        check(
                name,
                NOT_IN_ALLOCATOR,
                "allocator",
                "control or format characters (they would break or reorder the" + " lines of its reports and logs)");
    }

    private static void check(String name, Pattern bad, String what, String why) {
        if (bad.matcher(name).find()) {
            String shown =
                    bad.matcher(name).replaceAll(m -> "?".repeat(m.group().length()));
            String instead = bad.matcher(name.strip()).replaceAll("_");
            throw new IllegalArgumentException(
                    what + " '" + shown + "': a name cannot hold " + why + "; use for example '" + instead + "'");
        }
    }
}
