package org.slab4j.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A memory limit with instances lost without a free: see {@link MemoryLimitApp}. */
class MemoryLimitIT {
    private static String run(String what) throws Exception {
        return Forked.java(
                "-javaagent:" + Forked.agent() + "=report=0,merge=false,memoryLimit=4m",
                "-cp",
                Forked.testClasses(),
                MemoryLimitApp.class.getName(),
                what);
    }

    /** The segments of lost instances of a type that watches them are reclaimed before the limit refuses a new one. */
    @Test
    void instancesDroppedWithoutAFreeMakeRoomForNewOnesUnderTheLimit() throws Exception {
        String output = run("dropped");
        assertTrue(output.contains("dropped " + MemoryLimitApp.DROPPED + " without a free"), output);
    }

    /**
     * A sampled type watches one lost instance in 128: the refusal says that the others stay allocated, not that every
     * lost instance was reclaimed, and names the option that watches them all.
     */
    @Test
    void aSampledTypeFailsAtTheLimitSayingMostLostInstancesAreNotWatched() throws Exception {
        String output = run("sampled");
        assertTrue(output.contains("then: "), output);
        assertTrue(output.contains(MemoryLimitApp.Sampled.class.getName()), output);
        assertTrue(output.contains("one in 128"), output);
        assertTrue(output.contains("leaks=all"), output);
    }

    /** Nothing comes back of a type that watches nothing: the limit refuses, naming the class, limit and fix. */
    @Test
    void anExplicitTypeFailsAtTheLimitNamingTheClassTheLimitAndTheFix() throws Exception {
        String output = run("explicit");
        assertTrue(output.contains("then: "), output);
        assertTrue(output.contains(MemoryLimitApp.Kept.class.getName()), output);
        assertTrue(output.contains("memoryLimit"), output);
        assertTrue(output.contains("Slabs.free"), output);
    }
}
