package org.slab4j.internal.type;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One allocation site of a {@link org.slab4j.annotation.Slab} type: a {@code new} expression (class, method, line)
 * identified by a constant id fixed when its class was instrumented, with its counters.
 */
public final class Site {
    /** The site's id in {@link Sites}, which counts its allocations per thread. */
    final int id;

    private final String typeName;
    private final String location;
    /** The allocated class once known, weakly: the site registry must not keep a class loader reachable. */
    private volatile WeakReference<Class<?>> type;

    volatile boolean listed;
    /** Allocations counted outside a platform thread's own counts (see {@link Sites#count}), and those of ended ones. */
    final LongAdder allocations = new LongAdder();

    final LongAdder frees = new LongAdder();
    final LongAdder leaks = new LongAdder();

    Site(int id, String typeName, String location) {
        this.id = id;
        this.typeName = typeName;
        this.location = location;
    }

    /** @return where the site is, as {@code Class.method:line} */
    public String location() {
        return location;
    }

    /** @return the instances allocated here, less those whose constructor failed */
    public long allocations() {
        return Sites.allocations(this);
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
        WeakReference<Class<?>> known = type;
        if (known != null && known.get() == candidate) {
            return true;
        }
        if (known == null && typeName.equals(candidate.getName())) {
            type = new WeakReference<>(candidate);
            return true;
        }
        return false;
    }
}
