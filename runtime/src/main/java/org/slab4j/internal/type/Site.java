package org.slab4j.internal.type;

import java.util.concurrent.atomic.LongAdder;

/**
 * One allocation site of a {@link org.slab4j.annotation.Slab} type: a {@code new} expression (class, method, line)
 * identified by a constant id fixed when its class was instrumented, with its counters.
 */
public final class Site {
    private final int id;
    private final String typeName;
    private final String location;
    private volatile Class<?> type;
    volatile boolean listed;
    final LongAdder allocations = new LongAdder();
    final LongAdder frees = new LongAdder();
    final LongAdder leaks = new LongAdder();

    Site(int id, String typeName, String location) {
        this.id = id;
        this.typeName = typeName;
        this.location = location;
    }

    /** @return the id instrumented code passes to {@link Sites#enter(int)} */
    public int id() {
        return id;
    }

    /** @return where the site is, as {@code Class.method:line} */
    public String location() {
        return location;
    }

    /** @return the binary name of the type the site allocates */
    public String typeName() {
        return typeName;
    }

    /** @return the instances allocated here, less those whose constructor failed */
    public long allocations() {
        return allocations.sum();
    }

    /** @return the instances allocated here and freed explicitly (known for tracked types only) */
    public long frees() {
        return frees.sum();
    }

    /** @return the instances allocated here and reclaimed after garbage collection */
    public long leaks() {
        return leaks.sum();
    }

    boolean allocates(Class<?> candidate) {
        Class<?> known = type;
        if (known == candidate) {
            return true;
        }
        if (known == null && typeName.equals(candidate.getName())) {
            type = candidate;
            return true;
        }
        return false;
    }
}
