package org.slab4j.internal.page;

/**
 * Address to chunk in O(1) without locks: the JVM's {@code virt_to_page} for memory the allocator did not place
 * itself.
 *
 * <p>Chunks are {@code 2^(pageShift + 10)} bytes; the table asks only that they be page aligned (they are aligned to
 * their own size or more, see {@link BuddyAllocator#map}), so a chunk covers at most two aligned frames of its size,
 * and at most one chunk starts in any frame. The table maps a frame to the chunk starting in it; a lookup tries the
 * address's frame and the one before.
 * Readers see an immutable open-addressing snapshot through one volatile read; writers (chunk map and unmap, both rare)
 * copy it under the table's lock.
 */
final class ChunkTable {
    private record Snapshot(long[] frames, Chunk[] chunks, int size) {}

    private final int frameShift;
    private volatile Snapshot snapshot = new Snapshot(new long[16], new Chunk[16], 0);

    ChunkTable(int frameShift) {
        this.frameShift = frameShift;
    }

    /** @return the chunk holding {@code address}, or {@code null} */
    Chunk find(long address) {
        Snapshot s = snapshot;
        long frame = address >>> frameShift;
        Chunk c = probe(s, frame);
        if (c != null && address >= c.base && address < c.end) {
            return c;
        }
        c = probe(s, frame - 1);
        if (c != null && address >= c.base && address < c.end) {
            return c;
        }
        return null;
    }

    private static Chunk probe(Snapshot s, long frame) {
        long[] frames = s.frames;
        int mask = frames.length - 1;
        for (int i = hash(frame) & mask; ; i = (i + 1) & mask) {
            Chunk c = s.chunks[i];
            if (c == null) {
                return null;
            }
            if (frames[i] == frame) {
                return c;
            }
        }
    }

    private static int hash(long frame) {
        long h = frame * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    synchronized void add(Chunk chunk) {
        Snapshot s = snapshot;
        int capacity = s.frames.length;
        while ((s.size + 1) * 2 > capacity) {
            capacity *= 2;
        }
        snapshot = rebuild(s, capacity, chunk, null);
    }

    synchronized void remove(Chunk chunk) {
        snapshot = rebuild(snapshot, snapshot.frames.length, null, chunk);
    }

    private Snapshot rebuild(Snapshot s, int capacity, Chunk add, Chunk remove) {
        long[] frames = new long[capacity];
        Chunk[] chunks = new Chunk[capacity];
        int size = 0;
        for (Chunk c : s.chunks) {
            if (c != null && c != remove) {
                insert(frames, chunks, c);
                size++;
            }
        }
        if (add != null) {
            insert(frames, chunks, add);
            size++;
        }
        return new Snapshot(frames, chunks, size);
    }

    private void insert(long[] frames, Chunk[] chunks, Chunk c) {
        long frame = c.base >>> frameShift;
        int mask = frames.length - 1;
        int i = hash(frame) & mask;
        while (chunks[i] != null) {
            i = (i + 1) & mask;
        }
        frames[i] = frame;
        chunks[i] = c;
    }
}
