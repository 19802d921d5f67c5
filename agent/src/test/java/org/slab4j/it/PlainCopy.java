package org.slab4j.it;

/** A class that knows nothing of slab4j and copies itself through {@code super.clone()}. */
public class PlainCopy implements Cloneable {
    int x;

    public PlainCopy copy() {
        try {
            return (PlainCopy) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /** @return {@code x} of a copy of an instance holding 3 */
    public static int copied() {
        PlainCopy p = new PlainCopy();
        p.x = 3;
        return p.copy().x;
    }
}
