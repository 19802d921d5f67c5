package org.slab4j.internal.slab;

import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a CPU is to the kernel's SLAB, a thread is here: the owner of one {@link ArrayCache} per cache and the home of
 * a NUMA node.
 *
 * <p>A platform thread owns its {@code ThreadCpu} alone and uses it without locks. Virtual threads do not get one each
 * (a million of them would each park objects): they share a fixed set of striped {@code ThreadCpu}s, picked by thread
 * id and used under {@link #lock}, which bounds what they can hold.
 */
final class ThreadCpu {
    /** The owning platform thread, cleared by GC once it is gone; {@code null} for a stripe. */
    final WeakReference<Thread> thread;
    /** The owning platform thread's id, or -1 for a stripe (no thread has that id). */
    final long tid;
    /** Non-null for a stripe shared by virtual threads. */
    final ReentrantLock lock;

    /** The home node ({@code numa_mem_id()}); changed only by the owner, through {@code bindCurrentThread}. */
    int node;
    /** The reap round this CPU last answered (owner-drain protocol, see {@link SlabSystem#ownerReap}). */
    int reapRound;
    /**
     * A stripe's last {@code kfree}'d slab, shared racily by its virtual threads (see {@code SlabSystem.kfree}); unused
     * by platform threads, which keep theirs by thread id.
     */
    Slab lastKfree;
    /** This CPU's array of each cache, by cache id. */
    ArrayCache[] arrays = new ArrayCache[32];

    ThreadCpu(Thread thread, int node) {
        this.thread = new WeakReference<>(thread);
        this.tid = thread.threadId();
        this.lock = null;
        this.node = node;
    }

    ThreadCpu(int node) {
        this.thread = null;
        this.tid = -1;
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
