package org.slab4j.internal.slab;

/**
 * An intrusive doubly linked list of slabs ({@code struct list_head}): one of a node's {@code slabs_partial},
 * {@code slabs_full} and {@code slabs_free}. O(1) add at either end and unlink; guarded by the node's list lock.
 */
final class SlabList {
    final String name;
    private Slab head;
    private Slab tail;
    private int size;

    SlabList(String name) {
        this.name = name;
    }

    boolean isEmpty() {
        return head == null;
    }

    int size() {
        return size;
    }

    Slab first() {
        return head;
    }

    Slab last() {
        return tail;
    }

    /** {@code list_add}. */
    void addHead(Slab s) {
        s.list = this;
        s.prev = null;
        s.next = head;
        if (head == null) {
            tail = s;
        } else {
            head.prev = s;
        }
        head = s;
        size++;
    }

    /** {@code list_add_tail}. */
    void addTail(Slab s) {
        s.list = this;
        s.next = null;
        s.prev = tail;
        if (tail == null) {
            head = s;
        } else {
            tail.next = s;
        }
        tail = s;
        size++;
    }

    /** {@code list_del}. */
    void remove(Slab s) {
        if (s.prev == null) {
            head = s.next;
        } else {
            s.prev.next = s.next;
        }
        if (s.next == null) {
            tail = s.prev;
        } else {
            s.next.prev = s.prev;
        }
        s.prev = null;
        s.next = null;
        s.list = null;
        size--;
    }
}
