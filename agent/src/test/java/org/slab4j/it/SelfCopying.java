package org.slab4j.it;

/** Two classes that copy themselves through {@code super.clone()}, for loaders that define them on their own. */
final class SelfCopying {
    private SelfCopying() {}

    public static class First implements Cloneable {
        public Object copy() throws CloneNotSupportedException {
            return super.clone();
        }
    }

    public static class Second implements Cloneable {
        public Object copy() throws CloneNotSupportedException {
            return super.clone();
        }
    }
}
