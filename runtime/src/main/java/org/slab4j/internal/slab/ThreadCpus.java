package org.slab4j.internal.slab;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The allocator's "CPUs": one {@link ThreadCpu} per platform thread, found by thread id in a {@link ThreadTable}, and
 * a fixed set of locked stripes shared by virtual threads; the home nodes; and the owner's half of the reap protocol.
 *
 * <p>The ownership rule (see {@link ThreadCpu}): a platform thread's CPU and arrays are touched by that thread alone,
 * until it ends; then exactly one thread claims them ({@link ThreadCpu#claim()}) and retires them
 * ({@link #retireDeadCpus}); a stripe is touched only under its lock.
 *
 * <p>The reap protocol: the reaper never touches a live thread's arrays. It bumps {@link #reapRound} (so does a
 * destroy); each platform thread, on its next slow path, sees the new round and applies {@code drain_array}'s rule to
 * its own arrays, giving back whole those of destroyed caches ({@link #ownerReap}).
 *
 * <p>Guards: {@link #cpuTable} is replaced under this object's monitor and read plainly, as {@link ThreadTable} says; {@link #reapRound} is written only under
 * {@code slab_mutex}; {@link #virtualThreadsBound} is set once.
 */
public final class ThreadCpus {
    private final SlabSystem sys;
    /**
     * Every platform thread's CPU by thread id, until it is retired ({@link #retireDeadCpus}). Threads hold nothing of
     * the allocator: no {@code ThreadLocal} value keeps a closed allocator reachable.
     */
    private ThreadCpu[] cpuTable = new ThreadCpu[16];
    /** A virtual thread's node once it bound itself; an {@code Integer} holds nothing of the allocator. */
    private final ThreadLocal<Integer> virtualNode = new ThreadLocal<>();
    /** The stripes: stripe {@code i} belongs to node {@code i % nodes}. */
    final ThreadCpu[] stripes;
    /** Stripes per node, less one (a power of two less one). */
    private final int stripeMask;
    /** Set once a virtual thread has bound itself to a node: from then on virtual threads look in {@link #virtualNode}. */
    private volatile boolean virtualThreadsBound;

    private final AtomicInteger nextNode = new AtomicInteger();
    /**
     * Bumped by each reap pass and each destroy (under {@code slab_mutex}, its only writer); a platform thread that sees
     * a new value applies the reap rule to its own arrays and gives back those of destroyed caches.
     */
    private volatile int reapRound;

    ThreadCpus(SlabSystem sys, int cpus) {
        this.sys = sys;
        int nodeCount = sys.nodeCount;
        // 2 x cpus stripes, shared evenly by the nodes, each node's count rounded up to a power of two so that a
        // virtual thread's stripe follows from its id with a mask.
        int perNode = Integer.highestOneBit(Math.max(1, (2 * cpus + nodeCount - 1) / nodeCount) * 2 - 1);
        this.stripeMask = perNode - 1;
        this.stripes = new ThreadCpu[perNode * nodeCount];
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ThreadCpu(i % nodeCount);
        }
    }

    /** Starts a new reap round; called under {@code slab_mutex}, the round's only writer. */
    @SuppressWarnings("NonAtomicVolatileUpdate") // one writer
    void newReapRound() {
        reapRound++;
    }

    /**
     * @return the calling thread's CPU: its own for a platform thread, a stripe for a virtual thread (which follows from
     *     its id, with no {@code ThreadLocal} look-up, until some virtual thread binds itself to a node)
     */
    ThreadCpu cpu() {
        Thread t = Thread.currentThread();
        if (t.isVirtual()) {
            Integer bound = virtualThreadsBound ? virtualNode.get() : null;
            return stripe(t, bound != null ? bound : homeNode(t));
        }
        ThreadCpu cpu = ThreadTable.get(cpuTable, t.threadId());
        return cpu != null ? cpu : newCpu(t);
    }

    /** @return a virtual thread's home node until it binds itself: spread by id, as platform threads are in turn */
    int homeNode(Thread virtual) {
        return sys.nodeCount == 1 ? 0 : (int) Math.floorMod(virtual.threadId(), (long) sys.nodeCount);
    }

    /**
     * Makes the CPU of a platform thread on its first call. Ended threads' CPUs are retired first once the table holds
     * a few, so that a program that starts many short-lived threads keeps a small table without a reaper.
     */
    ThreadCpu newCpu(Thread t) {
        if (cpuCount() >= 16) {
            retireDeadCpus();
        }
        int node = Math.floorMod(nextNode.getAndIncrement(), sys.nodeCount);
        ThreadCpu cpu = new ThreadCpu(t, node);
        synchronized (this) {
            cpuTable = ThreadTable.put(cpuTable, cpu);
        }
        return cpu;
    }

    /** @return a stripe of node {@code node} for virtual thread {@code t} (stripe {@code i} belongs to node {@code i % nodes}) */
    ThreadCpu stripe(Thread t, int node) {
        return stripes[((int) t.threadId() & stripeMask) * sys.nodeCount + node];
    }

    /**
     * Makes {@code node} the calling thread's home node. A platform thread first empties its arrays (they hold objects
     * of its old node); a virtual thread moves to a stripe of that node.
     *
     * @throws IllegalArgumentException when the node does not exist
     */
    public void bindCurrentThread(int node) {
        sys.checkOpen("bindCurrentThread");
        if (node < 0 || node >= sys.nodeCount) {
            throw new IllegalArgumentException(
                    "bindCurrentThread: node " + node + " does not exist (nodes 0.." + (sys.nodeCount - 1) + ")");
        }
        Thread t = Thread.currentThread();
        if (t.isVirtual()) {
            virtualNode.set(node);
            virtualThreadsBound = true; // a volatile write after the set: cpu() on this thread sees both
            return;
        }
        ThreadCpu cpu = cpu();
        if (cpu.node != node && cpu.busy > 0) {
            // A constructor (or another nested call) inside this thread's refill: the outer call fills the array with
            // objects of the node it started on, which the bind would relabel as the new node's.
            throw new IllegalStateException("bindCurrentThread: called from inside an allocation on this thread (a"
                    + " cache constructor); bind the thread to node " + node + " before it allocates, not from a"
                    + " constructor; nothing changed");
        }
        if (cpu.node != node) {
            drainUntilEmpty(cpu); // the arrays hold objects of the old node
            cpu.node = node;
            for (ArrayCache ac : cpu.arrays) {
                if (ac != null) {
                    ac.setHome(node);
                }
            }
        }
    }

    /**
     * Empties the calling thread's arrays into their slabs. For threads that go idle for long: the reaper drains
     * arrays only through their owners (on the owner's next slow path), so an idle thread otherwise keeps up to
     * {@code limit} objects per cache it used. A virtual thread empties the arrays of its stripe, under the stripe's
     * lock: also what the stripe's other virtual threads cached there.
     */
    public void drainCurrentThread() {
        sys.checkOpen("drainCurrentThread");
        ThreadCpu cpu = cpu();
        if (cpu.lock == null) {
            drainArrays(cpu);
            return;
        }
        cpu.lock.lock();
        try {
            drainArrays(cpu);
        } finally {
            cpu.lock.unlock();
        }
    }

    /**
     * Empties every array of {@code cpu}, and forgets those of destroyed caches; the caller owns it or holds its lock
     * (reentrant: a drain may free to kmalloc).
     */
    static void drainArrays(ThreadCpu cpu) {
        ArrayCache[] arrays = cpu.arrays; // OFF_SLAB freelists freed to kmalloc meanwhile may stay cached
        for (int i = 0; i < arrays.length; i++) {
            ArrayCache ac = arrays[i];
            if (ac != null) {
                ac.cache.drain.drainArrayLocked(ac, cpu.node, ac.avail);
                if (ac.cache.dead
                        && cpu.busy == 0) { // a busy CPU's caller may still fill it: its next drain retires it
                    ac.cache.retire(ac);
                    arrays[i] = null;
                }
            }
        }
    }

    /**
     * Empties the calling platform thread's arrays, if it has any, until nothing is cached: for slab4j's own threads
     * (the reaper), which no one else drains and which never end. Their frees are OFF_SLAB freelists going back to
     * kmalloc as they destroy slabs.
     */
    void drainOwnArrays() {
        ThreadCpu cpu = ThreadTable.get(cpuTable, Thread.currentThread().threadId());
        if (cpu != null && cpu.lock == null && cpu.busy == 0) {
            drainUntilEmpty(cpu);
        }
    }

    /**
     * Empties every array of the platform thread {@code cpu} (the caller's own) until nothing is cached. Draining an
     * OFF_SLAB cache destroys slabs, whose freelists go back to kmalloc into arrays drained already; kmalloc's
     * freelists are never OFF_SLAB, so a second pass empties those.
     */
    private static void drainUntilEmpty(ThreadCpu cpu) {
        do {
            drainArrays(cpu);
        } while (anyCached(cpu));
    }

    private static boolean anyCached(ThreadCpu cpu) {
        for (ArrayCache ac : cpu.arrays) {
            if (ac != null && ac.avail > 0) {
                return true;
            }
        }
        return false;
    }

    /** @return the calling thread's home node */
    public int currentNode() {
        sys.checkOpen("currentNode");
        return cpu().node;
    }

    /**
     * The owner's half of the reap protocol. The reaper never touches a live platform thread's arrays (they have no
     * locks); it bumps {@link #reapRound} instead, and each thread, on its next slow path, applies
     * {@code drain_array}'s rule to its own arrays. Stripes (locked) and ended threads are drained by the reaper itself.
     */
    void ownerReap(ThreadCpu cpu) {
        int round = reapRound;
        if (cpu.lock != null || cpu.reapRound == round || cpu.busy > 0) { // busy: answered by the next outer slow path
            return;
        }
        cpu.reapRound = round; // first: draining may re-enter the allocator on this thread
        ArrayCache[] arrays = cpu.arrays;
        for (int i = 0; i < arrays.length; i++) {
            ArrayCache ac = arrays[i];
            if (ac == null) {
                continue;
            }
            SlabCache c = ac.cache;
            if (c.dead) { // destroyed: its objects go back to their slabs, which then go too
                c.drain.drainArrayLocked(ac, cpu.node, ac.avail);
                c.retire(ac);
                arrays[i] = null;
            } else {
                c.drain.drainArray(ac, cpu.node);
            }
        }
    }

    /**
     * Retires the CPUs of platform threads that have ended: the claim-and-retire path of the ownership rule (see
     * {@link ThreadCpu}). Each ended CPU is claimed by exactly one caller, which drains its arrays into their slabs and
     * moves their counts to the handles; then the tables forget it. Safe from any thread, at any time, concurrently
     * with itself (the reaper, shrinks, destroys and new threads all call it).
     */
    public void retireDeadCpus() {
        boolean retired = false;
        ThreadCpu[] snapshot;
        synchronized (this) {
            snapshot = cpuTable;
        }
        for (ThreadCpu cpu : snapshot) {
            if (cpu == null || !cpu.claim()) {
                continue;
            }
            retired = true;
            for (ArrayCache ac : cpu.arrays) {
                if (ac != null) {
                    SlabCache c = ac.cache;
                    c.drain.drainArrayLocked(ac, cpu.node, ac.avail);
                    c.retire(ac);
                    synchronized (c.arraysLock) {
                        c.fastArrays = ThreadTable.purge(c.fastArrays);
                    }
                }
            }
        }
        if (retired) {
            synchronized (this) {
                cpuTable = ThreadTable.purge(cpuTable);
            }
        }
    }

    /** @return the number of platform threads' CPUs the allocator holds (ended ones until they are retired) */
    int cpuCount() {
        synchronized (this) {
            return ThreadTable.count(cpuTable);
        }
    }
}
