package org.slab4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serial data of {@code @Slab} classes across JVMs ({@link SerialApp}): what the agent wrote reads back byte for byte;
 * what was written without it (or before the class had {@code @Slab}) carries no segment bytes, and reads with fresh
 * segments and one warning per class.
 */
class SerialIT {
    private static final String NO_PAYLOAD = "carried no off-heap payload";

    @Test
    void dataWrittenWithTheAgentReadsBackByteForByte(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("with-agent.ser");
        assertTrue(withAgent("write", file).contains("written"));
        String output = withAgent("read", file);
        assertTrue(output.contains("kept kept 0101010101010101\n"), output);
        assertTrue(output.contains("kept kept 0202020202020202\n"), output);
        assertTrue(output.contains("custom 3 custom 0303030303030303\n"), output);
        assertTrue(output.contains("tagged [1, 2] 0404040404040404\n"), output);
        assertTrue(output.contains("then after"), output);
        assertFalse(output.contains(NO_PAYLOAD), output);
    }

    @Test
    void dataWrittenWithoutTheAgentReadsWithFreshSegmentsAndOneWarningPerClass(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("without-agent.ser");
        String written = Forked.java(
                "-cp", System.getProperty("java.class.path"), SerialApp.class.getName(), "write", file.toString());
        assertTrue(written.contains("written"), written);
        assertTrue(Files.size(file) > 0);
        String output = withAgent("read", file);
        assertEquals(2, count(output, "kept kept 000000000000007f\n"), output);
        assertTrue(output.contains("custom 3 custom 0000000000000000\n"), output);
        assertTrue(output.contains("tagged [1, 2] 0000000000000000\n"), output);
        assertTrue(output.contains("then after"), output);
        for (Class<?> type : new Class<?>[] {SerialApp.Kept.class, SerialApp.Custom.class, SerialApp.Tagged.class}) {
            String warning = type.getName() + "'s serialized data " + NO_PAYLOAD;
            assertEquals(1, count(output, warning), output);
        }
    }

    private static String withAgent(String mode, Path file) throws Exception {
        return Forked.java(
                "-javaagent:" + Forked.agent() + "=report=off",
                "-cp",
                Forked.testClasses(),
                SerialApp.class.getName(),
                mode,
                file.toString());
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
