package org.slab4j.internal.type;

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
    /**
     * The {@link SlabType#serial} of the allocated type once known, else 0: a number, not the class, so that the site
     * registry keeps no class loader reachable.
     */
    private volatile int typeSerial;

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

    /**
     * @return whether this site makes instances of {@code candidate}: the type it first matched by name, and no later
     *     type of the same name (a class of a new loader has its own sites)
     */
    boolean allocates(SlabType candidate) {
        int known = typeSerial;
        return known == candidate.serial || firstMatch(known, candidate);
    }

    /** {@link #allocates} of a site whose type is not known yet, or another's: out of line, for the hook's code size. */
    private boolean firstMatch(int known, SlabType candidate) {
        if (known == 0 && typeName.equals(candidate.type().getName())) {
            typeSerial = candidate.serial;
            return true;
        }
        return false;
    }
}
