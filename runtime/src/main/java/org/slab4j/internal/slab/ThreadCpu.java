package org.slab4j.internal.slab;

import java.lang.ref.WeakReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a CPU is to the kernel's SLAB, a thread is here: the owner of one {@link ArrayCache} per cache and the home of
 * a NUMA node.
 *
 * <p>A platform thread owns its {@code ThreadCpu} alone and uses it without locks. Virtual threads do not get one each
 * (a million of them would each park objects): they share a fixed set of striped {@code ThreadCpu}s, picked by thread
 * id and used under {@link #lock}, which bounds what they can hold.
 *
 * <p>Slots are indexed by {@code KmemCache} handle id; all handles of one (merged) cache share the cache's
 * {@link ArrayCache} but count their own allocations and frees.
 */
final class ThreadCpu {
    /** The owning platform thread, cleared by GC once it is gone; {@code null} for a stripe. */
    final WeakReference<Thread> thread;
    /** Non-null for a stripe shared by virtual threads. */
    final ReentrantLock lock;

    final int node;
    CpuSlot[] slots = new CpuSlot[16];

    ThreadCpu(Thread thread, int node) {
        this.thread = new WeakReference<>(thread);
        this.lock = null;
        this.node = node;
    }

    ThreadCpu(int node) {
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

    /** A cache handle's view of this CPU: the cache's array plus the handle's own counters. */
    static final class CpuSlot {
        final ArrayCache ac;
        long allocs;
        long frees;

        CpuSlot(ArrayCache ac) {
            this.ac = ac;
        }
    }
}
