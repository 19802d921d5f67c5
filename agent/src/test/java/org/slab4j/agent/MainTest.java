package org.slab4j.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slab4j.agent.live.HtmlReport;
import org.slab4j.agent.live.JfcFile;
import org.slab4j.agent.live.Slabtop;

/** {@code java -jar slab4j-agent.jar} with no arguments: the usage that docs/live-views.md says lists every command. */
class MainTest {
    @Test
    void usageListsEveryCommand() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(
                List.of(),
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String usage = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, status);
        for (String command : List.of(Slabtop.USAGE, HtmlReport.USAGE, JfcFile.USAGE)) {
            assertTrue(usage.contains(command), () -> "no '" + command + "' in:\n" + usage);
        }
    }
}
