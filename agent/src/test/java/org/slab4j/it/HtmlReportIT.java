package org.slab4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report lines of a JVM with the agent ({@link HtmlApp}, {@code reportJson=true}, its standard error saved as a
 * user would) made into a page by {@code java -jar slab4j-agent.jar html}, loaded in headless Chromium: five charts
 * drawn, no script error, the caches table sorted by a click on a header. Skipped, saying so, without Chromium.
 */
class HtmlReportIT {
    @Test
    void thePageOfARunDrawsItsChartsInABrowser(@TempDir Path dir) throws Exception {
        String chromium = chromium();
        String run = reportLines();
        assertTrue(run.contains("reported"), run);
        Path lines = dir.resolve("run.jsonl");
        Files.writeString(lines, run, StandardCharsets.UTF_8);
        Path page = dir.resolve("run.html");
        Forked.java("-jar", Forked.agent(), "html", lines.toString(), "-o", page.toString());
        String html = Files.readString(page, StandardCharsets.UTF_8);
        assertFalse(
                Pattern.compile("<script[^>]+src=|<link|<img|<iframe|url\\(|@import|fetch\\(|XMLHttpRequest")
                        .matcher(html)
                        .find(),
                "self-contained: nothing to load at view time");

        String dom = dumpDom(chromium, dir, page.toUri() + "#sort=objects");
        assertFalse(dom.contains("data-errors=\"yes\""), dom); // set by window.onerror
        assertTrue(dom.contains("data-charts=\"5\""), dom);
        Matcher series = Pattern.compile("class=\"series\"").matcher(dom);
        int paths = 0;
        while (series.find()) {
            paths++;
        }
        // bytes: Point, Counted, Lost, kmem_cache; objects: 3 states; slabs: 2; types: 3; leaks: 1 site
        assertTrue(paths >= 13, paths + " series drawn in\n" + dom);
        assertTrue(dom.contains("HtmlApp.main:"), "the leaking site: " + dom);
        assertTrue(dom.contains("3 reports"), dom);
        assertTrue(dom.contains("data-first-row=\"Point\""), "the largest cache by objects first:\n" + dom);
        assertTrue(dom.contains("org.slab4j.it.Fixtures$Point"), dom);
    }

    /**
     * With fewer reports than axis labels (three, and one: the exit report alone of a short run), each report gets one
     * time label on the x axis, none drawn twice, and a lone report's values are drawn as marks.
     */
    @Test
    void fewReportsGetOneTimeLabelEachAndALoneReportIsDrawn(@TempDir Path dir) throws Exception {
        String chromium = chromium();
        String run = reportLines();
        List<String> lines = run.lines().toList();
        int second = -1;
        for (int i = 0, summaries = 0; i < lines.size() && second < 0; i++) {
            if (lines.get(i).contains("\"type\":\"summary\"") && ++summaries == 2) {
                second = i;
            }
        }
        assertTrue(second > 0, run);
        for (List<String> report : List.of(lines, lines.subList(0, second))) {
            int reports = report == lines ? 3 : 1;
            Path in = dir.resolve(reports + ".jsonl");
            Files.write(in, report, StandardCharsets.UTF_8);
            Path page = dir.resolve(reports + ".html");
            Forked.java("-jar", Forked.agent(), "html", in.toString(), "-o", page.toString());
            String dom = dumpDom(chromium, dir, page.toUri().toString());
            assertFalse(dom.contains("data-errors=\"yes\""), dom);
            String[] charts = dom.split("<svg");
            assertTrue(charts.length > (reports == 1 ? 1 : 5), "charts drawn in\n" + dom); // the first has no leaks
            for (int c = 1; c < charts.length; c++) {
                Matcher label =
                        Pattern.compile("<text x=\"([0-9.]+)\" y=\"246\"").matcher(charts[c]);
                List<String> xs = new java.util.ArrayList<>();
                while (label.find()) {
                    xs.add(label.group(1));
                }
                assertEquals(reports, xs.size(), reports + " reports, time labels at " + xs + " in\n" + charts[c]);
                assertEquals(reports, xs.stream().distinct().count(), "labels drawn twice: " + xs);
                assertTrue(charts[c].contains("class=\"series\""), "nothing drawn in\n" + charts[c]);
            }
            if (reports == 1) {
                assertTrue(dom.contains("<circle"), "a lone report's values as marks:\n" + dom);
            }
        }
    }

    /**
     * Long names (a type's class, a site's method, a cache named at will) wrap in their table cells and legends: the
     * page stays as wide as the window, every table's numbers in view.
     */
    @Test
    void longNamesWrapWithinThePage(@TempDir Path dir) throws Exception {
        String chromium = chromium();
        String type = "com.example.trading.engine.orderbook.internal.PriceLevelAggregator$OrderEntry";
        String head = "{\"schema\":1,\"time\":\"2026-12-07T03:00:00Z\",\"allocator\":\"global\",";
        Path in = dir.resolve("long.jsonl");
        Files.write(
                in,
                List.of(
                        head + "\"type\":\"summary\",\"slabs\":1}",
                        head + "\"type\":\"cache\",\"name\":\"" + "x".repeat(300) + "\",\"slabBytes\":4096}",
                        head + "\"type\":\"slabType\",\"class\":\"" + type + "\",\"cache\":\"OrderEntry\",\"live\":1}",
                        head + "\"type\":\"site\",\"site\":\"" + type.replace('$', '.')
                                + ".addOrderAtPriceLevel:1234\"," + "\"class\":\"" + type
                                + "\",\"allocations\":5,\"leaks\":1}"),
                StandardCharsets.UTF_8);
        Path page = dir.resolve("long.html");
        Forked.java("-jar", Forked.agent(), "html", in.toString(), "-o", page.toString());
        // a copy of the page that notes how wide its content is against the window's width
        Path measured = dir.resolve("measured.html");
        Files.writeString(
                measured,
                Files.readString(page)
                        .replace(
                                "</body>",
                                "<script>document.body.setAttribute('data-widths', document.documentElement.scrollWidth"
                                        + " + ' in ' + document.documentElement.clientWidth);</script></body>"));
        String dom = dumpDom(chromium, dir, measured.toUri().toString());
        Matcher widths = Pattern.compile("data-widths=\"(\\d+) in (\\d+)\"").matcher(dom);
        assertTrue(widths.find(), dom);
        assertTrue(
                Integer.parseInt(widths.group(1)) <= Integer.parseInt(widths.group(2)),
                "content " + widths.group(1) + " px wide in a window of " + widths.group(2) + " px");
    }

    /** @return the standard error of {@link HtmlApp} run with the agent and {@code reportJson=true} */
    private static String reportLines() throws Exception {
        return Forked.java(
                "-javaagent:" + Forked.agent() + "=report=off,reportJson=true",
                "-cp",
                Forked.testClasses(),
                HtmlApp.class.getName());
    }

    private static String dumpDom(String chromium, Path dir, String url) throws Exception {
        List<String> command = List.of(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + dir.resolve("chromium-profile"),
                "--dump-dom",
                url);
        Process p = new ProcessBuilder(command)
                .redirectError(dir.resolve("chromium.log").toFile())
                .start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "chromium did not finish");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("chromium.log")));
        return dom;
    }

    /** @return the Chromium command found on the path; the test is skipped, saying so, without one */
    private static String chromium() {
        for (String name : List.of("chromium", "chromium-browser")) {
            try {
                if (new ProcessBuilder(name, "--version").start().waitFor() == 0) {
                    return name;
                }
            } catch (IOException | InterruptedException e) {
                // not this one
            }
        }
        assumeTrue(
                false,
                "chromium is not installed: the HTML report's browser test needs it (apt-get install -y chromium)");
        return null;
    }
}
