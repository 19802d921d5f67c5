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

    @Test
    void slab4jHandsObjectsOverInOrder() {
        ProducerConsumerBenchmark.SlabPipe pipe = new ProducerConsumerBenchmark.SlabPipe();
        pipe.setUp();
        try {
            for (long payload : PAYLOADS) {
                benchmark.payload = payload;
                benchmark.slab4jProduce(pipe, control);
            }
            for (long payload : PAYLOADS) {
                assertEquals(payload, benchmark.slab4jConsume(pipe, control));
            }
        } finally {
            pipe.tearDown();
        }
    }

    @Test
    void slab4jSidesGiveUpWhenTheIterationEnds() {
        ProducerConsumerBenchmark.SlabPipe pipe = new ProducerConsumerBenchmark.SlabPipe();
        pipe.setUp();
        try {
            for (int i = 0; i < ProducerConsumerBenchmark.RING_CAPACITY; i++) {
                benchmark.slab4jProduce(pipe, control);
            }
            control.stopMeasurement = true;
            benchmark.slab4jProduce(pipe, control); // ring full: frees its object and returns
            for (int i = 0; i < ProducerConsumerBenchmark.RING_CAPACITY; i++) {
                assertEquals(benchmark.payload, benchmark.slab4jConsume(pipe, control));
            }
            assertEquals(0, benchmark.slab4jConsume(pipe, control)); // ring empty: returns
        } finally {
            pipe.tearDown();
        }
    }

    @Test
    void nettyHandsBuffersOverInOrder() {
        ProducerConsumerBenchmark.NettyPipe pipe = new ProducerConsumerBenchmark.NettyPipe();
        pipe.setUp();
        try {
            for (long payload : PAYLOADS) {
                benchmark.payload = payload;
                benchmark.nettyProduce(pipe, control);
            }
            for (long payload : PAYLOADS) {
                assertEquals(payload, benchmark.nettyConsume(pipe, control));
            }
        } finally {
            pipe.tearDown();
        }
    }

    @Test
    void nettySidesGiveUpWhenTheIterationEnds() {
        ProducerConsumerBenchmark.NettyPipe pipe = new ProducerConsumerBenchmark.NettyPipe();
        pipe.setUp();
        try {
            for (int i = 0; i < ProducerConsumerBenchmark.RING_CAPACITY; i++) {
                benchmark.nettyProduce(pipe, control);
            }
            control.stopMeasurement = true;
            benchmark.nettyProduce(pipe, control); // ring full: releases its buffer and returns
            for (int i = 0; i < ProducerConsumerBenchmark.RING_CAPACITY; i++) {
                assertEquals(benchmark.payload, benchmark.nettyConsume(pipe, control));
            }
            assertEquals(0, benchmark.nettyConsume(pipe, control)); // ring empty: returns
        } finally {
            pipe.tearDown();
        }
    }
}
