package org.slab4j.sample;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slab4j.KmemCache;
import org.slab4j.SlabAllocator;
import org.slab4j.SlabFlag;

/**
 * A small tour of the runtime: typed caches (one with a constructor, two that merge), kmalloc, cross-thread frees,
 * shrinking, and {@code /proc/slabinfo}. Uses only the public API.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        try (SlabAllocator slab = SlabAllocator.builder().build()) {
            KmemCache orders = slab.createCache("order", 64, 0, Set.of(SlabFlag.HWCACHE_ALIGN), null);
            KmemCache quotes = slab.createCache("quote", 60, 0, Set.of(SlabFlag.HWCACHE_ALIGN), null);
            KmemCache books = slab.createCache("book", 1000, 0, Set.of(), m -> m.set(JAVA_LONG, 0, -1L));
            System.out.println("order:  " + orders.geometry());
            System.out.println("quote:  " + quotes + " (merged: " + quotes.isAlias() + ")");
            System.out.println("book:   " + books.geometry() + " (constructor sets the first word to -1)");

            List<MemorySegment> liveOrders = new ArrayList<>();
            List<MemorySegment> liveQuotes = new ArrayList<>();
            List<MemorySegment> messages = new ArrayList<>();
            for (long id = 0; id < 10_000; id++) {
                MemorySegment o = orders.alloc();
                o.set(JAVA_LONG, 0, id);
                liveOrders.add(o);
                liveQuotes.add(quotes.alloc());
                if (id % 10 == 0) {
                    messages.add(slab.kmalloc(16 + id % 1000));
                }
            }
            MemorySegment book = books.alloc();
            System.out.println("a new book's first word: " + book.get(JAVA_LONG, 0));
            books.free(book);

            System.out.println();
            System.out.print(slab.slabinfo());

            // Another thread frees everything: any thread may free any object; kfree finds the cache by address.
            Thread freer = Thread.ofPlatform().start(() -> {
                liveOrders.forEach(orders::free);
                liveQuotes.forEach(quotes::free);
                messages.forEach(slab::kfree);
            });
            freer.join();
            orders.shrink();
            System.out.printf(
                    "%nafter another thread freed everything, and shrink: order allocations=%d frees=%d, "
                            + "quote (alias of order) allocations=%d frees=%d%n",
                    orders.allocations(), orders.frees(), quotes.allocations(), quotes.frees());
            System.out.print(slab.slabinfo()
                    .lines()
                    .filter(l -> l.startsWith("order"))
                    .findFirst()
                    .orElseThrow());
            System.out.println();
            System.out.printf("native memory mapped: %d KiB%n", slab.mappedBytes() / 1024);
        }
    }
}
