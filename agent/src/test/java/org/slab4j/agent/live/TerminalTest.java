package org.slab4j.agent.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How {@code slabtop} fits its lines to the terminal. */
class TerminalTest {
    /** A line is cut at the columns it takes on a terminal, between characters, never inside one. */
    @Test
    void aLineIsCutAtItsWidthInColumns() {
        assertEquals("abc", Terminal.cut("abcdef", 3));
        assertEquals("abc", Terminal.cut("abc", 80));
        assertEquals("a漢", Terminal.cut("a漢字", 4)); // each ideograph takes two columns: no room for half of one
        assertEquals("a漢字", Terminal.cut("a漢字", 5));
        assertEquals("a", Terminal.cut("a😀b", 2)); // not half of the surrogate pair
        assertEquals("e\u0301e\u0301", Terminal.cut("e\u0301e\u0301e", 2)); // combining accents take no column
    }
}
