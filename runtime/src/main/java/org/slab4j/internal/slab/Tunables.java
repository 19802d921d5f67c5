package org.slab4j.internal.slab;

import org.slab4j.internal.page.PageConfig;

/**
 * The per-CPU cache tunables of {@code enable_cpucache} and the node free limit of {@code do_tune_cpucache}.
 *
 * @param limit entries a per-thread array may hold
 * @param batchcount objects moved per refill or flush
 * @param shared the shared array holds {@code shared * batchcount} entries; 0 for none
 */
public record Tunables(int limit, int batchcount, int shared) {
    /** {@code BOOT_CPUCACHE_ENTRIES}: the arrays of caches made before the boot is {@code FULL}. */
    static final Tunables BOOT = new Tunables(1, 1, 0);

    /**
     * The largest per-thread {@code limit}: the kernel allocates per-CPU arrays with {@code __alloc_percpu}, which
     * refuses more than {@code PCPU_MIN_UNIT_SIZE} ({@code PFN_ALIGN(32 KiB)}: 32 KiB, or one page where pages are
     * larger) for one array of 8-byte pointers behind a 16-byte header, so {@code do_tune_cpucache} fails with
     * {@code -ENOMEM} above 4094 entries with 4 KiB pages, 8190 with 64 KiB pages.
     */
    static int maxLimit(PageConfig pc) {
        return (Math.max(32768, pc.pageSize()) - 16) / 8;
    }

    /**
     * The largest shared array, {@code shared * batchcount} entries: the kernel allocates it with {@code kmalloc_node},
     * which refuses more than {@code KMALLOC_MAX_SIZE} (4 MiB with 4 KiB pages, 32 MiB with 64 KiB pages) for 8-byte
     * pointers behind a 16-byte header.
     */
    static long maxSharedEntries(PageConfig pc) {
        return (pc.kmallocMaxSize() - 16) / 8;
    }

    /**
     * {@code enable_cpucache}'s defaults.
     *
     * @param size the buffer size
     * @param cpus {@code num_possible_cpus()}
     * @param debug whether the cache has debug flags (a {@code CONFIG_DEBUG_SLAB} kernel clamps the limit to 32)
     */
    static Tunables defaults(PageConfig pc, long size, int cpus, boolean debug) {
        int limit;
        if (size > 131072) {
            limit = 1;
        } else if (size > pc.pageSize()) {
            limit = 8;
        } else if (size > 1024) {
            limit = 24;
        } else if (size > 256) {
            limit = 54;
        } else {
            limit = 120;
        }
        int shared = size <= pc.pageSize() && cpus > 1 ? 8 : 0;
        if (debug && limit > 32) {
            limit = 32;
        }
        return new Tunables(limit, (limit + 1) / 2, shared);
    }

    /** @return the entries of a node's shared array, {@code shared * batchcount}, computed without overflow */
    long sharedEntries() {
        return (long) shared * batchcount;
    }

    /** {@code n->free_limit = (1 + nr_cpus_node(node)) * batchcount + num}. */
    long freeLimit(int cpusOfNode, int num) {
        return (1L + cpusOfNode) * batchcount + num;
    }
}
