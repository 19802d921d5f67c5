package org.slab4j.internal.slab;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a CPU is to the kernel's SLAB, a thread is here: the owner of one {@link ArrayCache} per cache and the home of
 * a NUMA node.
 *
 * <p>A platform thread owns its {@code ThreadCpu} alone and uses it without locks; the allocator finds it in its
 * {@link ThreadTable} by thread id (no {@code ThreadLocal}, so a thread never keeps an allocator reachable). Virtual
 * threads do not get one each (a million of them would each park objects): they share a fixed set of striped
 * {@code ThreadCpu}s, picked by thread id and used under {@link #lock}, which bounds what they can hold.
 *
 * <p><b>The ownership rule.</b> Only the owner touches a platform thread's {@code ThreadCpu} and its arrays, with plain
 * reads and writes. Once the owner has ended ({@link #isDead()}), exactly one other thread may take them over: the one
 * whose {@link #claim()} succeeds (the reaper, a shrink, a destroy, or a thread that needs room in the table). It
 * drains the arrays and retires them from their caches ({@link SlabSystem#retireDeadCpus}). A stripe is touched only
 * under its lock. Nothing else ever writes an array's entries.
 */
final class ThreadCpu extends ThreadTable.Owned {
    private static final VarHandle RETIRED;

    static {
        try {
            RETIRED = MethodHandles.lookup().findVarHandle(ThreadCpu.class, "retired", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The owning platform thread, cleared by GC once it is gone; {@code null} for a stripe. */
    final WeakReference<Thread> thread;
    /** Non-null for a stripe shared by virtual threads. */
    final ReentrantLock lock;

    /** The home node ({@code numa_mem_id()}); changed only by the owner, through {@code bindCurrentThread}. */
    int node;
    /** The reap round this CPU last answered (owner-drain protocol, see {@link ThreadCpus#ownerReap}). */
    int reapRound;
    /**
     * How many {@code cacheAlloc}/{@code cacheFree} calls of this CPU are running: more than 0 while a slow path
     * re-enters the allocator (a slab's OFF_SLAB freelist from kmalloc, a constructor that allocates). A nested call
     * then neither reaps nor retires arrays, which the outer call may still be filling. Owner-only, or under the lock.
     */
    int busy;
    /** Set once, by the one thread whose {@link #claim()} won, after the owner ended. */
    private volatile boolean retired;
    /**
     * This CPU's array of each cache, by cache id. Ids of destroyed caches serve again, but only once no CPU holds an
     * array of theirs ({@link SlabSystem}'s {@code newCacheId}): a slot holds an array of the cache with that id, or of
     * the destroyed cache whose id waits for it.
     */
    ArrayCache[] arrays = new ArrayCache[32];

    ThreadCpu(Thread thread, int node) {
        super(thread.threadId());
        this.thread = new WeakReference<>(thread);
        this.lock = null;
        this.node = node;
    }

    ThreadCpu(int node) {
        super(-1);
        this.thread = null;
        this.lock = new ReentrantLock();
        this.node = node;
    }

    /** @return whether no thread can use this CPU again (its platform thread has ended) */
    boolean isDead() {
        if (thread == null) {
            return false;
        }
        Thread t = thread.get();
        return t == null || !t.isAlive();
    }

    /**
     * Claims an ended platform thread's CPU for retirement: only one caller ever gets {@code true}, so its arrays get
     * exactly one drainer. The CAS orders the claimer after the owner's last writes, which happen-before its end.
     *
     * @return whether the caller now owns this CPU's arrays
     */
    boolean claim() {
        return thread != null && isDead() && RETIRED.compareAndSet(this, false, true);
    }

    @Override
    boolean isRetired() {
        return retired;
    }

    /** @return this CPU's array for cache {@code id}, or {@code null} */
    ArrayCache array(int id) {
        ArrayCache[] a = arrays;
        return id < a.length ? a[id] : null;
    }

    void setArray(int id, ArrayCache ac) {
        if (id >= arrays.length) {
            arrays = Arrays.copyOf(arrays, Math.max(id + 1, 2 * arrays.length));
        }
        arrays[id] = ac;
    }
}
