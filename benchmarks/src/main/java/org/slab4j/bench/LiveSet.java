package org.slab4j.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.slab4j.KmemCache;
import org.slab4j.SlabAllocator;
import org.slab4j.SlabFlag;
import org.slab4j.Slabs;
import org.slab4j.annotation.Slab;
import org.slab4j.annotation.SlabSegment;

/**
 * The live-set benchmark of issue 14: {@code N} live records of {@code P} payload bytes in an array, then {@code R}
 * replacements: pick a slot (at random, or the oldest record for FIFO churn, as a queue of orders would), free its
 * record and make a new one there. One run measures one kind of record, in a JVM of its own:
 *
 * <ul>
 *   <li>{@code twin}: the heap twin, a class holding a {@code byte[P]} (freeing is dropping it);
 *   <li>{@code explicit}: a {@code @Slab(release = EXPLICIT)} class, freed with {@code Slabs.free};
 *   <li>{@code default}: a {@code @Slab} class with the default release policy ({@code SAMPLED}), freed the same way;
 *   <li>{@code raw}: a plain class holding a segment from a {@link KmemCache} it frees itself (no agent needed);
 *   <li>{@code zeroed}: {@code raw} with zeroed segments ({@link KmemCache#zalloc}), as the agent gave a
 *       {@code @Slab} class without a cache constructor before it wiped on free (its Java fields would start at zero);
 *   <li>{@code wiped}: {@code raw} over a cache with {@link SlabFlag#INIT_ON_FREE}, allocating with {@code zalloc}: what
 *       the agent does for such a class now, without the agent's hooks;
 *   <li>{@code floor}: the least any off-heap pool pays here: that plain class holding a slice cut once from one
 *       segment, given back to a LIFO free list with no check at all;
 *   <li>{@code checked}: the floor with slab4j's checks of a free, as {@code AllocFreeBenchmark.freeListChecked} has them:
 *       the very slice cut for that index, marked handed out in a state byte;
 *   <li>{@code zeroedFloor}: {@code checked} with each slice zeroed when it is handed out, as the agent zeroed the
 *       segment of a class without a cache constructor before it wiped on free: the least such a {@code @Slab} class
 *       paid here (it leaves out
 *       the slab look-up, the atomic take of the segment and the statistics).
 *   <li>{@code paged}: {@code checked} with its slices in slabs of a page (4 KiB, or the smallest power of two that
 *       holds a record), as a slab allocator has them: a free first finds its slab's rows of slices and state bytes
 *       through flat tables indexed by page (the cheapest look-up there is), and the free list holds slab-and-index
 *       entries, as slab4j's arrays do: a floor for {@code raw};
 *   <li>{@code pagedWiped}: {@code paged} wiping each slice when it is freed, as slab4j's caches with
 *       {@link SlabFlag#INIT_ON_FREE} do: a floor for {@code wiped} and the {@code @Slab} kinds (it leaves out the
 *       atomic take of the segment, the thread's own array and the statistics);
 *   <li>{@code pagedTaken}: {@code pagedWiped} whose record holds its slice in a field that the free takes with an
 *       atomic {@code getAndSet}, as {@code Slabs.free} takes an {@code @Slab} instance's segment to prove that one
 *       caller frees it: {@code pagedWiped} with the one step of the {@code @Slab} kinds' free that it lacked (it
 *       leaves out the agent's dispatch and checks, the thread's own array, the hashed page map and the {@code Slab}
 *       object between it and the rows, {@code slabsById} and the statistics).
 * </ul>
 *
 * It prints one line: wall time of the replacements, GC count, total and longest GC pause during them (from the
 * collectors' MXBeans: {@code GcInfo} durations), heap bytes per live record after a full GC, and off-heap bytes per
 * live record (the slab caches' pages). The {@code @Slab} kinds need the agent; from the project root, after
 * {@code mvn -q -DskipTests package}:
 *
 * <pre>{@code
 * java -Xmx2g -javaagent:agent/target/slab4j-agent.jar=report=0 -cp benchmarks/target/benchmarks.jar \
 *     org.slab4j.bench.LiveSet explicit 64 1200000 5000000 random
 * }</pre>
 *
 * Arguments: kind, payload bytes (at least 8), live records, replacements, {@code random} or {@code fifo}.
 */
public final class LiveSet {
    /** The system property that sizes the {@code @Slab} records (read when their type is created): P bytes. */
    static final String PAYLOAD = "slab4j.bench.payload";

    private LiveSet() {}

    /** What one kind of record does: make one with an id, free one. */
    interface Kind {
        Object make(long id);

        void free(Object record);

        /** @return the off-heap bytes held for the records (slab pages), or 0 */
        long offHeapBytes();

        /** Called once every record is freed. */
        default void done() {}
    }

    /** The heap twin. */
    static final class Twin {
        final byte[] payload;

        Twin(int size, long id) {
            payload = new byte[size];
            payload[0] = (byte) id;
        }
    }

    /** The {@code @Slab(release = EXPLICIT)} record, of {@value #PAYLOAD} bytes. */
    @Slab(name = "liveset-explicit", layout = "LAYOUT", release = Slab.Release.EXPLICIT)
    static final class ExplicitRecord {
        static final MemoryLayout LAYOUT = payloadLayout();

        @SlabSegment
        MemorySegment mem;

        ExplicitRecord(long id) {
            mem.set(ValueLayout.JAVA_LONG, 0, id);
        }
    }

    /** The {@code @Slab} record under the default release policy, of {@value #PAYLOAD} bytes. */
    @Slab(name = "liveset-default", layout = "LAYOUT")
    static final class DefaultRecord {
        static final MemoryLayout LAYOUT = payloadLayout();

        @SlabSegment
        MemorySegment mem;

        DefaultRecord(long id) {
            mem.set(ValueLayout.JAVA_LONG, 0, id);
        }
    }

    /** A plain class holding a segment of a cache of its own user's making. */
    static final class RawRecord {
        final MemorySegment mem;

        RawRecord(MemorySegment mem, long id) {
            this.mem = mem;
            mem.set(ValueLayout.JAVA_LONG, 0, id);
        }
    }

    /**
     * A plain class holding a slice in a field that a free takes atomically ({@code pagedTaken}): {@code mem} is
     * {@code null} once it was freed. A {@code null} store is the cheapest take: G1's write barrier ignores it, where
     * a store of {@link MemorySegment#NULL} (what {@code Slabs.free} leaves in an instance) into an old record marks
     * its card for the collector; in slab4j the two measured the same, in this floor the latter cost more
     * (docs/performance.md).
     */
    static final class TakenRecord {
        private static final VarHandle MEM;

        static {
            try {
                MEM = MethodHandles.lookup().findVarHandle(TakenRecord.class, "mem", MemorySegment.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        MemorySegment mem;

        TakenRecord(MemorySegment mem, long id) {
            this.mem = mem;
            mem.set(ValueLayout.JAVA_LONG, 0, id);
        }

        /**
         * @return the slice, {@code null} in its place: one atomic exchange, which proves this caller its only owner
         * @throws IllegalStateException if the record was freed already
         */
        MemorySegment take() {
            MemorySegment taken = (MemorySegment) MEM.getAndSet(this, (MemorySegment) null);
            if (taken == null) {
                throw new IllegalStateException("the record was freed already");
            }
            return taken;
        }
    }

    private static MemoryLayout payloadLayout() {
        return MemoryLayout.sequenceLayout(Integer.getInteger(PAYLOAD, 64), ValueLayout.JAVA_BYTE)
                .withByteAlignment(8);
    }

    public static void main(String[] args) {
        if (args.length != 5) {
            throw new IllegalArgumentException(
                    "usage: LiveSet twin|explicit|default|raw|zeroed|wiped|floor|checked|zeroedFloor|paged|pagedWiped"
                            + "|pagedTaken"
                            + " PAYLOAD LIVE REPLACEMENTS random|fifo");
        }
        System.out.println(
                run(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]), args[4]));
    }

    /** @return the result line of one run */
    static Result run(String kindName, int payload, int live, long replacements, String churn) {
        if (!churn.equals("random") && !churn.equals("fifo")) {
            throw new IllegalArgumentException("churn '" + churn + "' is not random or fifo");
        }
        boolean fifo = churn.equals("fifo");
        Kind kind = kind(kindName, payload, live);
        Object[] records = new Object[live];
        for (int i = 0; i < live; i++) {
            records[i] = kind.make(i);
        }
        fullGc();
        GcWatch watch = new GcWatch();
        SplittableRandom random = new SplittableRandom(42);
        long start = System.nanoTime();
        int next = 0;
        for (long r = 0; r < replacements; r++) {
            int slot;
            if (fifo) {
                slot = next;
                next = next + 1 == live ? 0 : next + 1;
            } else {
                slot = random.nextInt(live);
            }
            kind.free(records[slot]);
            records[slot] = kind.make(r);
        }
        long wallNanos = System.nanoTime() - start;
        watch.stop();
        fullGc();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long heap = memory.getHeapMemoryUsage().getUsed();
        long offHeap = kind.offHeapBytes();
        Result result = new Result(
                kindName,
                payload,
                live,
                replacements,
                churn,
                wallNanos / 1e9,
                watch.count,
                watch.totalMillis,
                watch.longestMillis,
                (double) heap / live,
                (double) offHeap / live);
        for (Object record : records) {
            kind.free(record);
        }
        kind.done();
        return result;
    }

    /** One run's numbers. */
    record Result(
            String kind,
            int payload,
            int live,
            long replacements,
            String churn,
            double wallSeconds,
            long gcCount,
            long gcTotalMillis,
            long gcLongestMillis,
            double heapBytesPerRecord,
            double offHeapBytesPerRecord) {
        @Override
        public String toString() {
            return String.format(
                    "%-8s P=%-5d N=%-9d R=%-9d %-6s wall %7.2f s  GC %4d  total %6d ms  longest %5d ms"
                            + "  heap/record %7.1f B  off-heap/record %7.1f B",
                    kind,
                    payload,
                    live,
                    replacements,
                    churn,
                    wallSeconds,
                    gcCount,
                    gcTotalMillis,
                    gcLongestMillis,
                    heapBytesPerRecord,
                    offHeapBytesPerRecord);
        }
    }

    static Kind kind(String name, int payload, int live) {
        if (payload < 8) {
            throw new IllegalArgumentException("payload " + payload + " is less than 8 bytes");
        }
        if (!String.valueOf(payload).equals(System.getProperty(PAYLOAD, "64"))) {
            System.setProperty(PAYLOAD, String.valueOf(payload)); // before the @Slab records' types are created
        }
        return switch (name) {
            case "twin" ->
                new Kind() {
                    @Override
                    public Object make(long id) {
                        return new Twin(payload, id);
                    }

                    @Override
                    public void free(Object record) {}

                    @Override
                    public long offHeapBytes() {
                        return 0;
                    }
                };
            case "explicit" -> slabKind(payload, ExplicitRecord.class, ExplicitRecord::new);
            case "default" -> slabKind(payload, DefaultRecord.class, DefaultRecord::new);
            case "raw" -> rawKind(name, payload, false, Set.of());
            case "zeroed" -> rawKind(name, payload, true, Set.of());
            case "wiped" -> rawKind(name, payload, true, Set.of(SlabFlag.INIT_ON_FREE));
            case "floor" -> new FreeListKind(payload, live, false, false);
            case "checked" -> new FreeListKind(payload, live, true, false);
            case "zeroedFloor" -> new FreeListKind(payload, live, true, true);
            case "paged" -> new PagedKind(payload, live, false, false);
            case "pagedWiped" -> new PagedKind(payload, live, true, false);
            case "pagedTaken" -> new PagedKind(payload, live, true, true);
            default ->
                throw new IllegalArgumentException("kind '" + name + "' is not twin, explicit, default, raw, zeroed,"
                        + " wiped, floor, checked, zeroedFloor, paged, pagedWiped or pagedTaken");
        };
    }

    private interface Maker {
        Object make(long id);
    }

    private static Kind slabKind(int payload, Class<?> type, Maker maker) {
        long size = Slabs.cacheOf(type).objectSize();
        if (size != payload) {
            throw new IllegalStateException(type.getSimpleName() + " was sized " + size + " bytes by an earlier run"
                    + " in this JVM; run each payload in a JVM of its own");
        }
        return new Kind() {
            @Override
            public Object make(long id) {
                return maker.make(id);
            }

            @Override
            public void free(Object record) {
                Slabs.free(record);
            }

            @Override
            public long offHeapBytes() {
                return Slabs.cacheOf(type).stats().slabBytes();
            }
        };
    }

    private static Kind rawKind(String name, int payload, boolean zeroed, Set<SlabFlag> flags) {
        KmemCache cache =
                SlabAllocator.global().createCache("liveset-" + name + "-" + payload, payload, 0, flags, null);
        return new Kind() {
            @Override
            public Object make(long id) {
                return new RawRecord(zeroed ? cache.zalloc() : cache.alloc(), id);
            }

            @Override
            public void free(Object record) {
                cache.free(((RawRecord) record).mem);
            }

            @Override
            public long offHeapBytes() {
                return cache.stats().slabBytes();
            }

            @Override
            public void done() {
                cache.destroy();
            }
        };
    }

    /** @return {@code payload} rounded up to a word: the distance between the floors' slices */
    private static int stride(int payload) {
        return (payload + Long.BYTES - 1) & -Long.BYTES;
    }

    /** @return {@code log2(stride)} if the stride is a power of two (a slice's index is then a shift), else -1 */
    private static int indexShift(int stride) {
        return Integer.bitCount(stride) == 1 ? Integer.numberOfTrailingZeros(stride) : -1;
    }

    /**
     * The {@code floor}, {@code checked} and {@code zeroedFloor} kinds: {@code live} slices of one segment, cut when the
     * run starts, on a LIFO free list (a deque); the records are {@link RawRecord}s. With {@code checked}, a free first
     * proves that the segment is the one cut for its index and that it is handed out, as slab4j's fast free does with
     * one slab; with {@code zeroedFloor}, each slice is also zeroed when it is handed out.
     */
    private static final class FreeListKind implements Kind {
        private final Arena arena = Arena.ofShared();
        private final MemorySegment block;
        /** The distance between slices: the payload rounded up to a word, as slab4j aligns its objects. */
        private final int stride;
        /** {@code log2(stride)} for a power-of-two stride, whose index is then a shift, as in slab4j; else -1. */
        private final int indexShift;

        private final boolean checked;
        private final boolean zeroed;
        private final MemorySegment[] slices;
        private final byte[] handedOut;
        private final ArrayDeque<MemorySegment> free;

        FreeListKind(int payload, int live, boolean checked, boolean zeroed) {
            this.stride = stride(payload);
            this.indexShift = indexShift(stride);
            this.checked = checked;
            this.zeroed = zeroed;
            block = arena.allocate((long) live * stride, Long.BYTES);
            slices = new MemorySegment[live];
            handedOut = new byte[live];
            free = new ArrayDeque<>(live);
            for (int i = 0; i < live; i++) {
                slices[i] = block.asSlice((long) i * stride, payload);
                free.addLast(slices[i]); // the first records take the slices in address order, as slabs hand them out
            }
        }

        @Override
        public Object make(long id) {
            MemorySegment mem = free.pollFirst();
            if (checked) {
                handedOut[index(mem)] = 1;
            }
            return new RawRecord(zeroed ? mem.fill((byte) 0) : mem, id);
        }

        @Override
        public void free(Object record) {
            MemorySegment mem = ((RawRecord) record).mem;
            if (checked) {
                int i = index(mem);
                if (i < 0 || i >= slices.length || slices[i] != mem || handedOut[i] != 1) {
                    throw new IllegalStateException("not a handed-out slice: " + mem);
                }
                handedOut[i] = 0;
            }
            free.addFirst(mem);
        }

        private int index(MemorySegment mem) {
            long rel = mem.address() - block.address();
            return (int) (indexShift >= 0 ? rel >>> indexShift : rel / stride); // as slab4j's obj_to_index
        }

        @Override
        public long offHeapBytes() {
            return block.byteSize();
        }

        @Override
        public void done() {
            free.clear();
            arena.close();
        }
    }

    /**
     * The {@code paged}, {@code pagedWiped} and {@code pagedTaken} kinds: {@code live} records' slices (and a slab's
     * worth more) cut when the run starts from one segment of slabs, each slab {@code 2^shift} bytes holding as many
     * records as fit; a LIFO stack of entries {@code slab << 32 | index}. A slab is only its row of slices and its row
     * of state bytes: a free finds both rows from the address by one shift into flat tables
     * (slab4j's chunks lie anywhere in the address space, so its page map hashes instead, and its {@code Slab} object
     * stands between the table and the rows), proves the slice the one cut for its index and handed out, wipes it if
     * asked, and pushes its entry; an allocation pops one and marks it handed out. With {@code atomicTake}, the records
     * are {@link TakenRecord}s, whose free first takes the slice out of the record atomically.
     */
    private static final class PagedKind implements Kind {
        private final Arena arena = Arena.ofShared();
        private final MemorySegment block;
        /** The distance between slices: the payload rounded up to a word, as slab4j aligns its objects. */
        private final int stride;

        private final boolean wipe;
        private final boolean atomicTake;
        private final int shift;
        /** {@code log2(stride)} for a power-of-two stride, whose index is then a shift, as in slab4j; else -1. */
        private final int indexShift;
        /** By slab: the slices cut from it, and their state bytes (1: handed out). */
        private final MemorySegment[][] slices;

        private final byte[][] state;
        private final long[] entries;
        private int top;

        PagedKind(int payload, int live, boolean wipe, boolean atomicTake) {
            this.stride = stride(payload);
            this.wipe = wipe;
            this.atomicTake = atomicTake;
            shift = Math.max(12, 64 - Long.numberOfLeadingZeros(stride - 1L));
            indexShift = indexShift(stride);
            int perSlab = (1 << shift) / stride;
            int slabs = live / perSlab + 1;
            block = arena.allocate((long) slabs << shift, 1L << shift);
            slices = new MemorySegment[slabs][perSlab];
            state = new byte[slabs][perSlab];
            entries = new long[slabs * perSlab];
            for (int s = 0; s < slabs; s++) {
                for (int i = 0; i < perSlab; i++) {
                    slices[s][i] = block.asSlice(((long) s << shift) + (long) i * stride, payload);
                }
            }
            for (int s = slabs - 1; s >= 0; s--) { // the first records take the slices in address order
                for (int i = perSlab - 1; i >= 0; i--) {
                    entries[top++] = (long) s << 32 | i;
                }
            }
        }

        @Override
        public Object make(long id) {
            long entry = entries[--top];
            int s = (int) (entry >>> 32);
            int index = (int) entry;
            state[s][index] = 1;
            MemorySegment slice = slices[s][index];
            return atomicTake ? new TakenRecord(slice, id) : new RawRecord(slice, id);
        }

        @Override
        public void free(Object record) {
            MemorySegment mem = atomicTake ? ((TakenRecord) record).take() : ((RawRecord) record).mem;
            long rel = mem.address() - block.address();
            long s = rel >>> shift; // an address below the block gives a huge number
            if (s >= slices.length) {
                throw new IllegalStateException("not a slice of these slabs: " + mem);
            }
            long inSlab = rel & ((1L << shift) - 1);
            long index = indexShift >= 0 ? inSlab >>> indexShift : inSlab / stride; // as slab4j's obj_to_index
            MemorySegment[] row = slices[(int) s];
            byte[] states = state[(int) s];
            if (index >= row.length || row[(int) index] != mem || states[(int) index] != 1) {
                throw new IllegalStateException("not a handed-out slice: " + mem);
            }
            states[(int) index] = 0;
            if (wipe) {
                mem.fill((byte) 0);
            }
            entries[top++] = s << 32 | index;
        }

        @Override
        public long offHeapBytes() {
            return block.byteSize();
        }

        @Override
        public void done() {
            arena.close();
        }
    }

    /**
     * Counts the stop-the-world collections that end while it listens ("end of minor GC" and "end of major GC"
     * notifications; a concurrent cycle's duration is not a pause), their total and longest duration.
     */
    private static final class GcWatch implements NotificationListener {
        private final List<NotificationEmitter> emitters = new ArrayList<>();
        long count;
        long totalMillis;
        long longestMillis;

        GcWatch() {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener(this, null, null);
                    emitters.add(emitter);
                }
            }
        }

        @Override
        public synchronized void handleNotification(Notification notification, Object handback) {
            if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                return;
            }
            GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            String action = info.getGcAction();
            if (action.equals("end of minor GC") || action.equals("end of major GC")) {
                long millis = info.getGcInfo().getDuration();
                count++;
                totalMillis += millis;
                longestMillis = Math.max(longestMillis, millis);
            }
        }

        synchronized void stop() {
            for (NotificationEmitter emitter : emitters) {
                try {
                    emitter.removeNotificationListener(this);
                } catch (ListenerNotFoundException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static void fullGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
    }
}
