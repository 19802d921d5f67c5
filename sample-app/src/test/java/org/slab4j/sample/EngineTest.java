package org.slab4j.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The engine's heap phase, which needs no agent: what it counts in its measured window. */
class EngineTest {
    /**
     * The measured window is {@code --duration} long, on the gateways' schedule: it holds rate x duration arrivals
     * (one more at most, per gateway), however late the main thread wakes from its sleep at the window's end. It held
     * every arrival until then: a window that ends late (a sleep always overshoots by some microseconds, a GC pause by
     * more) counted more messages than the rate allows, and the summary's orders/s, messages over the duration, came
     * out above --rate (100,003 at 100,000 in docs/sample-app.md's Output, 105,128 under a 64 MiB heap).
     */
    @Test
    void theMeasuredWindowHoldsRateTimesDurationArrivals() throws Exception {
        Options options =
                Options.parse("--book", "1000", "--warmup", "100ms", "--duration", "200ms", "--rate", "1000000");
        Engine.Result r = new Engine(options, false).run();
        long scheduled = 1_000_000 / 5;
        assertEquals(0, r.unsent(), "the gateway sent every message of the window");
        assertTrue(
                r.messages() >= scheduled && r.messages() <= scheduled + 1,
                "arrivals measured in 200 ms at 1,000,000/s: " + r.messages());
    }
}
