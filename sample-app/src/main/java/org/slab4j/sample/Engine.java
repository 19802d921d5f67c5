package org.slab4j.sample;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slab4j.SlabAllocator;
import org.slab4j.Slabs;

/**
 * One phase of the order flow: gateways parse wire messages into orders, matchers cross them into trades, and the
 * market-data thread aggregates trades and publishes snapshots. With {@code slab} the payloads are {@code @Slab}
 * objects and the wire messages come from kmalloc; without, the same flow runs on heap payloads.
 */
final class Engine {
    static final int INSTRUMENTS = Snapshot.INSTRUMENTS;
    private static final int LEVELS = 16;
    private static final long MID = 10_000;
    private static final int MAX_RESTING = 64;

    /** What a phase did. */
    record Result(
            boolean slab,
            long orders,
            long trades,
            long stampedTrades,
            long tradedQuantity,
            long snapshots,
            Duration elapsed,
            long gcCount,
            long gcMillis) {
        double ordersPerSecond() {
            return orders / (elapsed.toNanos() / 1e9);
        }
    }

    private final Options options;
    private final boolean slab;
    private final SlabAllocator allocator = SlabAllocator.global();
    private final List<BlockingQueue<Payload>> matcherQueues = new ArrayList<>();
    private final BlockingQueue<Object> trades = new ArrayBlockingQueue<>(65_536);
    private final AtomicLong orders = new AtomicLong();
    private final AtomicLong tradeCount = new AtomicLong();
    private final AtomicLong stamped = new AtomicLong();
    private final AtomicLong tradedQuantity = new AtomicLong();
    private final AtomicLong snapshots = new AtomicLong();
    private volatile boolean stop;
    private volatile boolean matchersDone;

    Engine(Options options, boolean slab) {
        this.options = options;
        this.slab = slab;
        for (int i = 0; i < options.matchers(); i++) {
            matcherQueues.add(new ArrayBlockingQueue<>(16_384));
        }
    }

    /**
     * Runs the flow for {@code duration}; {@code midway} runs on the calling thread halfway through.
     *
     * @return what the phase did
     */
    Result run(Duration duration, Runnable midway) throws InterruptedException {
        long gcCount0 = gcCount();
        long gcTime0 = gcMillis();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int g = 0; g < options.gateways(); g++) {
            int id = g;
            threads.add(Thread.ofPlatform().name("gateway-" + g).start(() -> gateway(id)));
        }
        for (int m = 0; m < options.matchers(); m++) {
            int id = m;
            threads.add(Thread.ofPlatform().name("matcher-" + m).start(() -> matcher(id)));
        }
        Thread marketData = Thread.ofPlatform().name("market-data").start(this::marketData);
        Thread.sleep(duration.toMillis() / 2);
        midway.run();
        long left = duration.toNanos() - (System.nanoTime() - start);
        TimeUnit.NANOSECONDS.sleep(Math.max(0, left));
        stop = true;
        for (Thread t : threads) {
            t.join();
        }
        matchersDone = true; // no trade comes after this: market data may drain and stop
        marketData.join();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return new Result(
                slab,
                orders.get(),
                tradeCount.get(),
                stamped.get(),
                tradedQuantity.get(),
                snapshots.get(),
                elapsed,
                gcCount() - gcCount0,
                gcMillis() - gcTime0);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Gateways: wire message -> order -> matcher of its instrument

    private void gateway(int id) {
        if (slab) {
            allocator.bindCurrentThread(id % allocator.nodes());
        }
        SplittableRandom rnd = new SplittableRandom(id);
        long perGatewayRate = options.rate() / options.gateways();
        long period = perGatewayRate == 0 ? 0 : 1_000_000_000L / perGatewayRate;
        long next = System.nanoTime();
        long seq = (long) id << 40;
        while (!stop) {
            int instrument = rnd.nextInt(INSTRUMENTS);
            boolean buy = rnd.nextBoolean();
            long price = MID + rnd.nextInt(LEVELS) - LEVELS / 2 + (buy ? 1 : -1);
            long quantity = 1 + rnd.nextInt(100);
            Payload order = fromWire(seq++, instrument, buy, price, quantity, id);
            try {
                while (!matcherQueues.get(instrument % matcherQueues.size()).offer(order, 10, TimeUnit.MILLISECONDS)) {
                    if (stop) {
                        order.release();
                        return;
                    }
                }
            } catch (InterruptedException e) {
                order.release();
                return;
            }
            orders.incrementAndGet();
            if (period > 0) {
                next += period;
                long wait = next - System.nanoTime();
                if (wait > 20_000) {
                    LockSupport.parkNanos(wait);
                }
            }
        }
    }

    /**
     * An order as it arrives: a variable-size text message, parsed into an order. With slabs the message sits in a
     * kmalloc buffer (given back with kfree) and the order is an {@link Order}; on the heap, in a {@code byte[]}, and
     * the order is a {@link HeapOrder}.
     */
    private Payload fromWire(long id, int instrument, boolean buy, long price, long quantity, long trader) {
        byte[] text = ("NEW id=" + id + " sym=" + instrument + (buy ? " side=B" : " side=S") + " px=" + price + " qty="
                        + quantity + " trader=" + trader)
                .getBytes(StandardCharsets.US_ASCII);
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
        String wire = new String(received, StandardCharsets.US_ASCII);
        long i = field(wire, "id=");
        int sym = (int) field(wire, "sym=");
        boolean b = wire.contains("side=B");
        long px = field(wire, "px=");
        long qty = field(wire, "qty=");
        long who = field(wire, "trader=");
        return slab ? new Order(i, sym, b, px, qty, who) : new HeapOrder(i, sym, b, px, qty, who);
    }

    private static long field(String wire, String key) {
        int from = wire.indexOf(key) + key.length();
        int to = wire.indexOf(' ', from);
        return Long.parseLong(wire, from, to < 0 ? wire.length() : to, 10);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Matchers: a price-level book per instrument; crossing orders make trades

    private void matcher(int id) {
        if (slab) {
            allocator.bindCurrentThread((id + 1) % allocator.nodes()); // not the gateways' node: frees cross nodes
        }
        Book[] books = new Book[INSTRUMENTS];
        for (int i = 0; i < INSTRUMENTS; i++) {
            books[i] = new Book();
        }
        BlockingQueue<Payload> in = matcherQueues.get(id);
        try {
            while (true) {
                Payload order = in.poll(10, TimeUnit.MILLISECONDS);
                if (order == null) {
                    if (stop) {
                        break;
                    }
                    continue;
                }
                match(books[order.instrument()], order);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Book b : books) {
            b.clear();
        }
        if (slab) {
            allocator.drainCurrentThread();
        }
    }

    private void match(Book book, Payload order) throws InterruptedException {
        List<ArrayDeque<Payload>> opposite = order.buy() ? book.asks : book.bids;
        while (order.quantity() > 0) {
            int level = book.best(!order.buy());
            if (level < 0
                    || !(order.buy() ? level + MID - LEVELS <= order.price() : level + MID - LEVELS >= order.price())) {
                break;
            }
            Payload resting = opposite.get(level).peekFirst();
            long quantity = Math.min(resting.quantity(), order.quantity());
            resting.fill(quantity);
            order.fill(quantity);
            trades.put(
                    slab
                            ? new Trade(order.instrument(), resting.price(), quantity)
                            : new long[] {order.instrument(), resting.price(), quantity});
            if (resting.quantity() == 0) {
                opposite.get(level).pollFirst();
                resting.release();
            }
        }
        if (order.quantity() == 0) {
            order.release();
            return;
        }
        ArrayDeque<Payload> level = (order.buy() ? book.bids : book.asks).get(book.level(order.price()));
        level.addLast(order);
        if (level.size() > MAX_RESTING) {
            level.pollFirst().release(); // the oldest order at the level is cancelled
        }
    }

    /** One instrument's resting orders by price level, around {@link #MID}. */
    private static final class Book {
        final List<ArrayDeque<Payload>> bids = levels();
        final List<ArrayDeque<Payload>> asks = levels();

        private static List<ArrayDeque<Payload>> levels() {
            List<ArrayDeque<Payload>> levels = new ArrayList<>(2 * LEVELS + 1);
            for (int i = 0; i <= 2 * LEVELS; i++) {
                levels.add(new ArrayDeque<>());
            }
            return levels;
        }

        int level(long price) {
            return (int) Math.max(0, Math.min(2 * LEVELS, price - MID + LEVELS));
        }

        /** @return the best level of a side (highest bid, lowest ask), or -1 if the side is empty */
        int best(boolean bidSide) {
            List<ArrayDeque<Payload>> side = bidSide ? bids : asks;
            if (bidSide) {
                for (int i = side.size() - 1; i >= 0; i--) {
                    if (!side.get(i).isEmpty()) {
                        return i;
                    }
                }
            } else {
                for (int i = 0; i < side.size(); i++) {
                    if (!side.get(i).isEmpty()) {
                        return i;
                    }
                }
            }
            return -1;
        }

        void clear() {
            for (List<ArrayDeque<Payload>> side : List.of(bids, asks)) {
                for (ArrayDeque<Payload> level : side) {
                    level.forEach(Payload::release);
                    level.clear();
                }
            }
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
                    tradedQuantity.addAndGet(trade.quantity());
                    Slabs.free(trade);
                    tradeCount.incrementAndGet();
                } else if (t instanceof long[] heapTrade) {
                    last[(int) heapTrade[0]] = heapTrade[1];
                    volume[(int) heapTrade[0]] += heapTrade[2];
                    tradedQuantity.addAndGet(heapTrade[2]);
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

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    private static long gcMillis() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionTime());
        }
        return n;
    }
}
