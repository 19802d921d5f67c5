package org.slab4j.sample;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.slab4j.SlabAllocator;
import org.slab4j.Slabs;

/**
 * One phase of the order flow: gateways parse wire messages into orders and cancels, matchers keep a resting book and
 * cross orders into trades, and the market-data thread aggregates trades and publishes snapshots. With {@code slab}
 * the orders are {@code @Slab} objects and the wire messages come from kmalloc; without, the same flow runs on heap
 * orders.
 *
 * <p>The phase in steps: (1) fill: the gateways send resting orders as fast as they can until the books hold
 * {@link Options#book()} orders; (2) warm-up: the steady flow at {@link Options#rate()} for {@link Options#warmup()}
 * (45% cancels of a random resting order, 45% new resting orders, 10% orders that cross the book and fill resting
 * orders oldest first, immediate-or-cancel; a cancel that would shrink the book below its size sends a resting order
 * instead); (3) the same flow for {@link Options#duration()}, measured: each order's latency from its arrival at the
 * gateway (its time on the gateway's schedule, so that a stalled gateway counts against the orders it delays) to its
 * acknowledgement or match. A gateway behind its schedule at the end still sends the messages the window held (for up
 * to {@link #GRACE}), so that the slowest orders are not left out. The books stay full when the phase ends, for the
 * caller to weigh the heap; {@link #clear} then frees them.
 */
final class Engine {
    static final int INSTRUMENTS = Snapshot.INSTRUMENTS;
    /** The largest latency recorded, in nanoseconds; longer ones count as this. */
    private static final long MAX_LATENCY = TimeUnit.MINUTES.toNanos(1);

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** How long gateways behind their schedule may go on sending the measured window's messages after it ended. */
    private static final Duration GRACE = Duration.ofSeconds(5);

    private static final int CANCEL_PERCENT = 45;
    private static final int CROSSING_PERCENT = 10;

    /** A cancel of a resting order (the matcher picks which one at random). */
    private record Cancel(long arrival) {}

    private enum Stage {
        FILL,
        FLOW,
        STOP
    }

    /**
     * What a phase did, read before its books are cleared.
     *
     * @param messages orders and cancels that arrived in the measured window (the latencies recorded)
     * @param unsent messages of the measured window that gateways behind their schedule never sent
     * @param sent orders and cancels the gateways sent, fill included
     * @param gatewayNanos CPU time of the gateway threads, fill included
     * @param matcherNanos CPU time of the matcher threads, fill included
     */
    record Result(
            boolean slab,
            long messages,
            long unsent,
            long sent,
            long gatewayNanos,
            long matcherNanos,
            long trades,
            long stampedTrades,
            long snapshots,
            Histogram latency,
            long fillMillis,
            long phaseStart,
            long measureStart,
            long measureEnd) {}

    private final Options options;
    private final boolean slab;
    private final SlabAllocator allocator = SlabAllocator.global();
    private final List<BlockingQueue<Object>> matcherQueues = new ArrayList<>();
    private final List<Book> books = new ArrayList<>();
    private final List<Histogram> latencies = new ArrayList<>();
    private final BlockingQueue<Object> trades = new ArrayBlockingQueue<>(65_536);
    private final AtomicLong unsent = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong gatewayNanos = new AtomicLong();
    private final AtomicLong matcherNanos = new AtomicLong();
    private final AtomicLong tradeCount = new AtomicLong();
    private final AtomicLong stamped = new AtomicLong();
    private final AtomicLong snapshots = new AtomicLong();
    private volatile Stage stage = Stage.FILL;
    private volatile long measureFrom = Long.MAX_VALUE;
    private volatile long measureTo = Long.MAX_VALUE;
    private volatile boolean abandon;
    private volatile boolean gatewaysDone;
    private volatile boolean matchersDone;

    Engine(Options options, boolean slab) {
        this.options = options;
        this.slab = slab;
        for (int i = 0; i < options.matchers(); i++) {
            matcherQueues.add(new ArrayBlockingQueue<>(16_384));
            books.add(new Book());
            latencies.add(new Histogram(MAX_LATENCY, 3));
        }
    }

    /**
     * Runs the phase: fill, warm-up, then the measured flow. The books stay full.
     *
     * @return what the phase did
     */
    Result run() throws InterruptedException {
        long phaseStart = GcWatch.now();
        long fill0 = System.nanoTime();
        List<Thread> gateways = new ArrayList<>();
        for (int g = 0; g < options.gateways(); g++) {
            int id = g;
            gateways.add(Thread.ofPlatform().name("gateway-" + g).start(() -> gateway(id)));
        }
        List<Thread> matchers = new ArrayList<>();
        for (int m = 0; m < options.matchers(); m++) {
            int id = m;
            matchers.add(Thread.ofPlatform().name("matcher-" + m).start(() -> matcher(id)));
        }
        Thread marketData = Thread.ofPlatform().name("market-data").start(this::marketData);
        while (resting() < options.book()) {
            Thread.sleep(5);
        }
        long fillMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - fill0);
        // A full collection before the flow: the book, made in one burst, moves to the old generation now, as the book
        // of an engine that has run a while is, instead of being copied by the first young collections of the
        // measured window. Both kinds of phase pay it, outside that window.
        System.gc();
        stage = Stage.FLOW;
        Thread.sleep(options.warmup().toMillis());
        // The window is --duration long on the gateways' schedule, however late this thread wakes from its sleep.
        long measureStart = GcWatch.now();
        long from = System.nanoTime();
        measureTo = from + options.duration().toNanos();
        measureFrom = from;
        TimeUnit.NANOSECONDS.sleep(options.duration().toNanos());
        long measureEnd = measureStart + options.duration().toMillis();
        stage = Stage.STOP;
        for (Thread t : gateways) {
            t.join(GRACE.toMillis());
        }
        abandon = true; // a gateway still behind its schedule sends no more
        for (Thread t : gateways) {
            t.join();
        }
        gatewaysDone = true; // no order comes after this: the matchers may drain their queues and stop
        for (Thread t : matchers) {
            t.join();
        }
        matchersDone = true; // no trade comes after this: market data may drain and stop
        marketData.join();
        Histogram latency = new Histogram(MAX_LATENCY, 3);
        latencies.forEach(latency::add);
        return new Result(
                slab,
                latency.getTotalCount(),
                unsent.get(),
                sent.get(),
                gatewayNanos.get(),
                matcherNanos.get(),
                tradeCount.get(),
                stamped.get(),
                snapshots.get(),
                latency,
                fillMillis,
                phaseStart,
                measureStart,
                measureEnd);
    }

    /** Releases every resting order; with slabs, gives the calling thread's cached objects back too. */
    void clear() {
        books.forEach(Book::clear);
        if (slab) {
            allocator.drainCurrentThread();
        }
    }

    private long resting() {
        long n = 0;
        for (Book b : books) {
            n += b.size();
        }
        return n;
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Gateways: wire message -> order or cancel -> matcher of its instrument

    private void gateway(int id) {
        if (slab) {
            allocator.bindCurrentThread(id % allocator.nodes());
        }
        SplittableRandom rnd = new SplittableRandom(id);
        Wire wire = new Wire();
        long perGatewayRate = options.rate() / options.gateways();
        long period = perGatewayRate == 0 ? 0 : 1_000_000_000L / perGatewayRate;
        long next = 0;
        long seq = (long) id << 40;
        long count = 0;
        Stage s;
        // After the measured window the gateway still sends what its schedule held for the window, however late.
        while ((s = stage) != Stage.STOP || (period != 0 && next - measureTo < 0 && !abandon)) {
            int instrument = rnd.nextInt(INSTRUMENTS);
            int kind = rnd.nextInt(100);
            long arrival;
            if (s == Stage.FILL) {
                arrival = System.nanoTime();
                kind = 100; // resting orders only
            } else {
                if (next == 0) {
                    next = System.nanoTime();
                }
                next += period;
                long wait = next - System.nanoTime();
                if (wait > 20_000) {
                    LockSupport.parkNanos(wait);
                }
                // on schedule, or when sent if that is earlier (a wait under 20 µs is not worth a park); unpaced: now
                arrival = period == 0 ? System.nanoTime() : Math.min(next, System.nanoTime());
            }
            Object message;
            if (kind < CANCEL_PERCENT && resting() >= options.book()) {
                message = new Cancel(arrival);
            } else {
                boolean buy = rnd.nextBoolean();
                boolean crossing = kind >= CANCEL_PERCENT && kind < CANCEL_PERCENT + CROSSING_PERCENT;
                // resting orders on their side of the mid, crossing ones at the far end of the other side
                long price = crossing
                        ? (buy ? Book.MID + Book.LEVELS : Book.MID - Book.LEVELS)
                        : (buy ? Book.MID - 1 - rnd.nextInt(Book.LEVELS) : Book.MID + 1 + rnd.nextInt(Book.LEVELS));
                message = fromWire(wire, Wire.text(seq++, instrument, buy, price, 1 + rnd.nextInt(100), id), arrival);
            }
            if (!send(matcherQueues.get(instrument % matcherQueues.size()), message)) {
                break;
            }
            count++;
        }
        if (period != 0 && next - measureTo < 0) {
            unsent.addAndGet((measureTo - next) / period + 1); // abandoned: the window's messages it never sent
        }
        sent.addAndGet(count);
        gatewayNanos.addAndGet(THREADS.getCurrentThreadCpuTime());
    }

    /** @return whether the message was queued; if not (the phase ended), it was released */
    private boolean send(BlockingQueue<Object> queue, Object message) {
        try {
            while (!queue.offer(message, 10, TimeUnit.MILLISECONDS)) {
                if (abandon) {
                    release(message);
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            release(message);
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void release(Object message) {
        if (message instanceof Resting order) {
            order.release();
        }
    }

    /**
     * An order as it arrives: a variable-size text message, parsed into an order. With slabs the message sits in a
     * kmalloc buffer (given back with kfree) and the order is an {@link Order}; on the heap, in a {@code byte[]}, and
     * the order is a {@link HeapOrder}.
     */
    private Resting fromWire(Wire wire, String message, long arrival) {
        byte[] text = message.getBytes(StandardCharsets.US_ASCII);
        byte[] received;
        if (slab) {
            MemorySegment msg = allocator.kmalloc(text.length);
            MemorySegment.copy(text, 0, msg, ValueLayout.JAVA_BYTE, 0, text.length);
            received = new byte[text.length];
            MemorySegment.copy(msg, ValueLayout.JAVA_BYTE, 0, received, 0, text.length);
            allocator.kfree(msg);
        } else {
            received = text.clone();
        }
        wire.parse(received);
        return slab ? new Order(wire, arrival) : new HeapOrder(wire, arrival);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Matchers: a book of resting orders; crossing orders make trades, cancels take a resting order out

    private void matcher(int id) {
        if (slab) {
            allocator.bindCurrentThread((id + 1) % allocator.nodes()); // not the gateways' node: frees cross nodes
        }
        Book book = books.get(id);
        Histogram latency = latencies.get(id);
        SplittableRandom rnd = new SplittableRandom(-1 - id);
        BlockingQueue<Object> in = matcherQueues.get(id);
        try {
            while (true) {
                Object message = in.poll(10, TimeUnit.MILLISECONDS);
                if (message == null) {
                    if (gatewaysDone) {
                        break;
                    }
                    continue;
                }
                long arrival;
                if (message instanceof Resting order) {
                    arrival = order.arrival();
                    match(book, order);
                } else {
                    arrival = ((Cancel) message).arrival();
                    Resting cancelled = book.pick(rnd);
                    if (cancelled != null) {
                        book.remove(cancelled);
                        cancelled.release();
                    }
                }
                long now = System.nanoTime();
                if (arrival - measureFrom >= 0 && arrival - measureTo < 0) {
                    latency.recordValue(Math.min(now - arrival, MAX_LATENCY));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (slab) {
            allocator.drainCurrentThread();
        }
        matcherNanos.addAndGet(THREADS.getCurrentThreadCpuTime());
    }

    private void match(Book book, Resting order) throws InterruptedException {
        boolean buy = order.buy();
        while (order.quantity() > 0) {
            Resting resting = book.best(order.instrument(), !buy);
            if (resting == null || (buy ? resting.price() > order.price() : resting.price() < order.price())) {
                break;
            }
            long quantity = Math.min(resting.quantity(), order.quantity());
            resting.fill(quantity);
            order.fill(quantity);
            trades.put(
                    slab
                            ? new Trade(order.instrument(), resting.price(), quantity)
                            : new long[] {order.instrument(), resting.price(), quantity});
            if (resting.quantity() == 0) {
                book.remove(resting);
                resting.release();
            }
        }
        boolean crossing = buy ? order.price() > Book.MID : order.price() < Book.MID;
        if (order.quantity() == 0 || crossing) {
            order.release(); // filled, or the rest of an immediate-or-cancel order
        } else {
            book.rest(order);
        }
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Market data: trades are aggregated, freed, and published as snapshots every 100 ms

    private void marketData() {
        long[] last = new long[INSTRUMENTS];
        long[] volume = new long[INSTRUMENTS];
        Snapshot published = null;
        long nextSnapshot = System.nanoTime();
        try {
            while (true) {
                Object t = trades.poll(10, TimeUnit.MILLISECONDS);
                if (t instanceof Trade trade) {
                    if (trade.stamped()) {
                        stamped.incrementAndGet();
                    }
                    last[trade.instrument()] = trade.price();
                    volume[trade.instrument()] += trade.quantity();
                    Slabs.free(trade);
                    tradeCount.incrementAndGet();
                } else if (t instanceof long[] heapTrade) {
                    last[(int) heapTrade[0]] = heapTrade[1];
                    volume[(int) heapTrade[0]] += heapTrade[2];
                    tradeCount.incrementAndGet();
                } else if (matchersDone && trades.isEmpty()) {
                    break;
                }
                if (slab && System.nanoTime() - nextSnapshot >= 0) {
                    nextSnapshot += 100_000_000L;
                    Snapshot next = new Snapshot(last, volume);
                    if (published != null) {
                        Slabs.free(published);
                    }
                    published = next;
                    snapshots.incrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (published != null) {
            Slabs.free(published);
        }
        if (slab) {
            allocator.drainCurrentThread();
        }
    }
}
