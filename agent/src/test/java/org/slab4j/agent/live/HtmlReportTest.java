package org.slab4j.agent.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link HtmlReport} reads from report lines, checked in the data it embeds in the page. */
class HtmlReportTest {
    private static final String T1 = "2026-12-07T03:00:00Z", T2 = "2026-12-07T03:00:01Z";

    private static String summary(String time, String allocator, long inUse) {
        return "{\"schema\":1,\"type\":\"summary\",\"time\":\"" + time + "\",\"allocator\":\"" + allocator
                + "\",\"inUseObjects\":" + inUse + ",\"cachedObjects\":2,\"freeObjects\":null,\"slabs\":3,"
                + "\"activeSlabs\":3,\"memoryLimit\":null,\"someFutureField\":{\"x\":[1,2]}}";
    }

    private static String cache(String time, String name, long slabBytes) {
        return "{\"schema\":1,\"type\":\"cache\",\"time\":\"" + time + "\",\"allocator\":\"global\",\"name\":\"" + name
                + "\",\"objects\":10,\"activeObjects\":5,\"slabBytes\":" + slabBytes + "}";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(List<String> lines, String allocator) throws CommandException {
        String html = HtmlReport.render(lines, allocator, "test.jsonl");
        String start = "<script type=\"application/json\" id=\"data\">";
        int from = html.indexOf(start) + start.length();
        String json = html.substring(from, html.indexOf("</script>", from));
        return (Map<String, Object>) Json.parse(json, 0);
    }

    @Test
    void groupsLinesIntoReportsAndPlotsEachSeriesOverTime() throws Exception {
        Map<String, Object> d = data(
                List.of(
                        summary(T1, "global", 7),
                        cache(T1, "order", 4096),
                        "Dec 07, 2026 3:00:01 AM org.slab4j.internal.report.ReportOutput deliver",
                        "INFO: " + summary(T2, "global", 9), // a java.util.logging line
                        "12:00:01.000 INFO  org.slab4j.report.json - " + cache(T2, "order", 8192),
                        cache(T2, "trade", 4096),
                        "{\"schema\":1,\"type\":\"slabType\",\"time\":\"" + T2 + "\",\"allocator\":\"global\","
                                + "\"class\":\"a.Order\",\"cache\":\"order\",\"live\":3,\"liveBytes\":192,"
                                + "\"leaks\":0}",
                        "{\"schema\":1,\"type\":\"site\",\"time\":\"" + T2 + "\",\"allocator\":\"global\","
                                + "\"site\":\"A.main:3\",\"class\":\"a.Order\",\"liveBytes\":null,\"leaks\":2}",
                        "not json {at all",
                        "{\"type\":\"somethingNew\",\"time\":\"" + T2 + "\",\"allocator\":\"global\"}",
                        summary(T1, "other", 1)),
                null);
        assertEquals("global", d.get("allocator"));
        assertEquals(List.of("global", "other"), d.get("allocators"));
        assertEquals(List.of(T1, T2), d.get("times"));
        assertEquals(Map.of("order", List.of(4096.0, 8192.0), "trade", List.of(0.0, 4096.0)), d.get("cacheBytes"));
        Map<?, ?> objects = (Map<?, ?>) d.get("objects");
        assertEquals(List.of(7.0, 9.0), objects.get("in use"));
        assertEquals(List.of(0.0, 0.0), objects.get("free"), "null is unknown, plotted as 0");
        assertEquals(Map.of("a.Order", List.of(0.0, 192.0)), d.get("typeBytes"));
        assertEquals(Map.of("A.main:3 (a.Order)", List.of(0.0, 2.0)), d.get("siteLeaks"));
        Map<?, ?> last = (Map<?, ?>) d.get("last");
        assertEquals(T2, last.get("time"));
        assertEquals(2, ((List<?>) last.get("caches")).size());
    }

    @Test
    void linesWithoutTimeOrAllocatorBelongToTheSummaryBeforeThem() throws Exception {
        Map<String, Object> d = data(
                List.of(
                        "{\"type\":\"summary\",\"inUseObjects\":1}",
                        "{\"type\":\"cache\",\"name\":\"x\",\"slabBytes\":4096}",
                        "{\"type\":\"summary\",\"inUseObjects\":2}",
                        "{\"type\":\"cache\",\"name\":\"x\",\"slabBytes\":8192}"),
                null);
        assertEquals(2, ((List<?>) d.get("times")).size());
        assertEquals(Map.of("x", List.of(4096.0, 8192.0)), d.get("cacheBytes"));
    }

    @Test
    void anotherAllocatorOnRequestAndClearErrorsOtherwise() throws Exception {
        assertEquals(
                List.of(T1),
                data(List.of(summary(T1, "global", 1), summary(T1, "other", 1)), "other")
                        .get("times"));
        CommandException none = assertThrows(CommandException.class, () -> data(List.of("hello"), null));
        assertTrue(none.getMessage().contains("reportJson=true"), none.getMessage());
        CommandException missing =
                assertThrows(CommandException.class, () -> data(List.of(summary(T1, "global", 1)), "nope"));
        assertTrue(
                missing.getMessage().contains("no report of allocator 'nope'; it has [global]"), missing.getMessage());
    }

    /** An option without its value is named as such, by {@code html} and {@code jfc} alike. */
    @Test
    void anOptionWithoutItsValueIsNamed() {
        CommandException html =
                assertThrows(CommandException.class, () -> HtmlReport.run(List.of("run.jsonl", "-o"), System.err));
        assertTrue(html.getMessage().startsWith("html: -o needs a value (-o FILE)"), html.getMessage());
        CommandException jfc = assertThrows(CommandException.class, () -> JfcFile.run(List.of("-o"), System.out));
        assertTrue(jfc.getMessage().startsWith("jfc: -o needs a value (-o FILE)"), jfc.getMessage());
    }

    /**
     * A log holds lines of other programs and loggers, not all in UTF-8 (a console handler writes in the platform's
     * charset): such a line is skipped like any other that is no report line, not a reason to refuse the file.
     */
    @Test
    void aLineThatIsNotUtf8IsSkipped(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("run.jsonl");
        Files.write(
                in,
                (summary(T1, "global", 1) + "\nINFO: Gr\u00fc\u00dfe from another logger\n" + cache(T1, "order", 4096)
                                + "\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(0, HtmlReport.run(List.of(in.toString()), System.err));
        assertTrue(Files.readString(dir.resolve("run.html")).contains("\"name\":\"order\""));
    }

    /** A line nested too deeply for the reader is skipped, as a line that is not JSON is. */
    @Test
    void aDeeplyNestedLineIsSkipped() throws Exception {
        String deep = "{\"type\":\"summary\",\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        Map<String, Object> d = data(List.of(deep, summary(T1, "global", 1)), null);
        assertEquals(List.of(T1), d.get("times"));
    }

    @Test
    void theDataCannotCloseItsScriptElement() throws Exception {
        String html = HtmlReport.render(
                List.of("{\"type\":\"summary\",\"allocator\":\"</script><b>x\",\"time\":\"t\"}"), null, "x.jsonl");
        assertFalse(html.contains("</script><b>"), html);
        assertTrue(html.contains("\\u003c/script\\u003e\\u003cb\\u003ex"), html);
    }
}
