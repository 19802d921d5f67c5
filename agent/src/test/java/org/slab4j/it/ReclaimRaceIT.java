package org.slab4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link ReclaimRaceApp} under C2 on a 32 MB heap for three seconds (and at least a million instances): millions of {@code TRACKED} instances made
 * and freed on two threads while young collections run. None may be freed twice (explicitly, and by the reclaimer that
 * found it unreachable during its own free) or counted as a leak. Without the reachability fence in the release path,
 * this failed in every run of four seconds on a 2-vCPU machine.
 */
class ReclaimRaceIT {
    @Test
    void anInstanceFreedExplicitlyIsNeverReclaimedToo() throws Exception {
        String output = Forked.java(
                "-XX:TieredStopAtLevel=4",
                "-Xmx32m",
                "-javaagent:" + Forked.agent() + "=report=0",
                "-cp",
                Forked.testClasses(),
                ReclaimRaceApp.class.getName(),
                "3000");
        assertFalse(output.contains("FAILED"), output);
        Matcher m = Pattern.compile("made=(\\d+) allocations=(\\d+) frees=(\\d+) leaks=0 live=0")
                .matcher(output);
        assertTrue(m.find(), output);
        assertTrue(
                Long.parseLong(m.group(1)) >= 2 * ReclaimRaceApp.MIN_PER_THREAD, "made its floor of work: " + output);
        assertEquals(m.group(1), m.group(2), output);
        assertEquals(m.group(1), m.group(3), output);
    }
}
