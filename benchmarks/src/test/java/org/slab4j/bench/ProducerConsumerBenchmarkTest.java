package org.slab4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Control;

/**
 * Drives both {@link ProducerConsumerBenchmark} groups on one thread: a few objects through the ring, then the two
 * ways an iteration can end with one side waiting. Correctness, not speed.
 */
class ProducerConsumerBenchmarkTest {
    private static final long[] PAYLOADS = {0L, -1L, 0x0123_4567_89AB_CDEFL, Long.MIN_VALUE};

    private final ProducerConsumerBenchmark benchmark = new ProducerConsumerBenchmark();
    private final Control control = new Control();

    private static void withSlabPipe(States.Body<ProducerConsumerBenchmark.SlabPipe> body) throws Throwable {
        States.with(
                new ProducerConsumerBenchmark.SlabPipe(),
                ProducerConsumerBenchmark.SlabPipe::setUp,
                ProducerConsumerBenchmark.SlabPipe::tearDown,
                body);
    }

    private static void withNettyPipe(States.Body<ProducerConsumerBenchmark.NettyPipe> body) throws Throwable {
        States.with(
                new ProducerConsumerBenchmark.NettyPipe(),
                ProducerConsumerBenchmark.NettyPipe::setUp,
                ProducerConsumerBenchmark.NettyPipe::tearDown,
                body);
    }

    @Test
    void slab4jHandsObjectsOverInOrder() throws Throwable {
        withSlabPipe(pipe -> {
            for (long payload : PAYLOADS) {
                benchmark.payload = payload;
                benchmark.slab4jProduce(pipe, control);
            }
            for (long payload : PAYLOADS) {
                assertEquals(payload, benchmark.slab4jConsume(pipe, control));
            }
        });
    }

    @Test
    void slab4jSidesGiveUpWhenTheIterationEnds() throws Throwable {
        withSlabPipe(pipe -> {
            for (int i = 0; i < ProducerConsumerBenchmark.RING_CAPACITY; i++) {
                benchmark.slab4jProduce(pipe, control);
            }
            control.stopMeasurement = true;
            benchmark.slab4jProduce(pipe, control); // ring full: frees its object and returns
            for (int i = 0; i < ProducerConsumerBenchmark.RING_CAPACITY; i++) {
                assertEquals(benchmark.payload, benchmark.slab4jConsume(pipe, control));
            }
            assertEquals(0, benchmark.slab4jConsume(pipe, control)); // ring empty: returns
        });
    }

    @Test
    void nettyHandsBuffersOverInOrder() throws Throwable {
        withNettyPipe(pipe -> {
            for (long payload : PAYLOADS) {
                benchmark.payload = payload;
                benchmark.nettyProduce(pipe, control);
            }
            for (long payload : PAYLOADS) {
                assertEquals(payload, benchmark.nettyConsume(pipe, control));
            }
        });
    }

    @Test
    void nettySidesGiveUpWhenTheIterationEnds() throws Throwable {
        withNettyPipe(pipe -> {
            for (int i = 0; i < ProducerConsumerBenchmark.RING_CAPACITY; i++) {
                benchmark.nettyProduce(pipe, control);
            }
            control.stopMeasurement = true;
            benchmark.nettyProduce(pipe, control); // ring full: releases its buffer and returns
            for (int i = 0; i < ProducerConsumerBenchmark.RING_CAPACITY; i++) {
                assertEquals(benchmark.payload, benchmark.nettyConsume(pipe, control));
            }
            assertEquals(0, benchmark.nettyConsume(pipe, control)); // ring empty: returns
        });
    }
}
