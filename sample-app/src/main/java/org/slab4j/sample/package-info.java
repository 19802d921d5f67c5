/**
 * The slab4j sample: a small order-matching engine whose resting orders, quotes, trades and market-data snapshots live
 * in off-heap slab caches, measured against the same engine with its orders on the heap.
 *
 * <pre>
 *  Gateway threads (node 0, 1, …)      Matcher threads (other nodes)          MarketData thread
 *   wire message ── kmalloc ──▶ parse    a book of resting orders per matcher:   volume, last price
 *   new Order (@Slab "order") ─────────▶ rest (FIFO per price level), cancel ──▶ Slabs.free(trade)
 *   cancel (a random resting order)      at random, or cross ──▶ Trade           new Snapshot (@Slab,
 *   new Quote (@Slab "quote", merges     Slabs.free(order) when filled or         NO_MERGE) every 100 ms
 *              into "order")             cancelled
 * </pre>
 *
 * <p>Run with the agent: {@code java -javaagent:agent/target/slab4j-agent.jar -Xmx400m -jar
 * sample-app/target/slab4j-sample-app.jar}. Without it the program stops at once and says so. Each phase fills a book
 * of resting orders (a million by default), then runs a steady flow of new orders, cancels and crossing orders at a
 * fixed rate, and measures each message's latency (HdrHistogram) and the collector's pauses; phases alternate between
 * slab and heap orders (slabs / heap / slabs), and the summary compares them. The run also shows the kernel-style
 * caches at work: the Trade cache's constructor stamps every trade; Order and Quote merge while Snapshot cannot;
 * gateways and matchers sit on different nodes, so frees cross nodes through alien caches; a burst of quotes is given
 * back by the reaper; and three snapshots are dropped on purpose for the leak report to find.
 */
package org.slab4j.sample;
