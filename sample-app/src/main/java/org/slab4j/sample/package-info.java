/**
 * The slab4j sample: a small order-matching engine whose orders, quotes, trades and market-data snapshots live in
 * off-heap slab caches.
 *
 * <pre>
 *  Gateway threads (node 0, 1, …)      Matcher threads (other nodes)         MarketData thread
 *   wire message ── kmalloc ──▶ parse    book per instrument: cross ──▶ Trade ──▶ volume, VWAP
 *   new Order (@Slab "order") ─────────▶ Slabs.free(order) when filled        Slabs.free(trade)
 *   new Quote (@Slab "quote", merges                                          new Snapshot (@Slab, NO_MERGE)
 *              into "order")                                                  every 100 ms
 * </pre>
 *
 * <p>Run with the agent: {@code java -javaagent:agent/target/slab4j-agent.jar -jar
 * sample-app/target/slab4j-sample-app.jar}. Without it the program stops at once and says so. The run shows the
 * kernel-style caches at work: the Trade cache's constructor stamps every trade; Order and Quote merge while Snapshot
 * cannot; gateways and matchers sit on different nodes, so frees cross nodes through alien caches; a burst of quotes
 * is given back by the reaper; and three orders are dropped on purpose for the leak report to find. A second phase
 * runs the same order flow with heap payloads, to compare garbage collection.
 */
package org.slab4j.sample;
