package org.slab4j.agent.live;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * {@code html REPORT.jsonl [-o REPORT.html] [-a ALLOCATOR]}: one self-contained HTML page (its data, styles and chart
 * code inline; nothing loaded at view time) from the JSON lines of a run's reports: plots over time of the bytes per
 * cache (stacked), the objects in use, cached and free, the slabs, the top {@code @Slab} types by live bytes and the
 * leaks per site, then the last report as sortable tables.
 *
 * <p>Tolerant reading: each line's JSON object starts at its first <code>{</code> (so lines with a logging prefix do),
 * lines that are no report object are skipped, unknown fields are ignored and {@code null} numbers count as unknown.
 * Lines are grouped into reports by their {@code allocator} and {@code time}; a line without them belongs to the report
 * of the summary line before it.
 */
public final class HtmlReport {
    /** The usage line. */
    public static final String USAGE = "html REPORT.jsonl [-o REPORT.html] [-a ALLOCATOR]";

    private static final int TOP_SERIES = 8;
    private static final String TEMPLATE = "report.html";
    private static final String DATA = "/*SLAB4J-DATA*/null";

    /** The lines of one report. */
    private static final class Report {
        final String allocator;
        final String time;
        Map<String, Object> summary = Map.of();
        final List<Map<String, Object>> caches = new ArrayList<>();
        final List<Map<String, Object>> types = new ArrayList<>();
        final List<Map<String, Object>> sites = new ArrayList<>();

        Report(String allocator, String time) {
            this.allocator = allocator;
            this.time = time;
        }
    }

    private HtmlReport() {}

    /**
     * Runs the command.
     *
     * @param args the arguments after {@code html}
     * @param err where the file written is named
     * @return the exit status
     * @throws CommandException for a bad command line, or a file that cannot be read or written or holds no report
     */
    public static int run(List<String> args, PrintStream err) throws CommandException {
        String in = null, out = null, allocator = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if ((a.equals("-o") || a.equals("-a")) && i + 1 == args.size()) {
                throw new CommandException(
                        CommandException.USAGE,
                        "html: " + a + " needs a value (" + a + (a.equals("-o") ? " FILE" : " ALLOCATOR") + ")\nusage: "
                                + USAGE);
            }
            if (a.equals("-o") || a.equals("-a")) {
                if (a.equals("-o")) {
                    out = args.get(++i);
                } else {
                    allocator = args.get(++i);
                }
            } else if (!a.startsWith("-") && in == null) {
                in = a;
            } else {
                throw new CommandException(
                        CommandException.USAGE, "html: unknown argument '" + a + "'\nusage: " + USAGE);
            }
        }
        if (in == null) {
            throw new CommandException(CommandException.USAGE, "html: which report file?\nusage: " + USAGE);
        }
        if (out == null) {
            out = (in.endsWith(".jsonl") ? in.substring(0, in.length() - 6) : in) + ".html";
        }
        List<String> lines;
        try {
            // not readAllLines: a line of another program in another charset is skipped, not a reason to refuse the
            // file
            lines = new String(Files.readAllBytes(Path.of(in)), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
        } catch (IOException e) {
            throw CommandException.io("html: cannot read " + in, e);
        }
        String html = render(lines, allocator, Path.of(in).getFileName().toString());
        try {
            Files.writeString(Path.of(out), html, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CommandException.io("html: cannot write " + out, e);
        }
        err.println("wrote " + out);
        return 0;
    }

    /**
     * @param allocator the allocator to show; null for {@code global}, or the first one when there is none of that name
     * @return the page
     * @throws CommandException when the lines hold no report (of that allocator)
     */
    static String render(List<String> lines, String allocator, String source) throws CommandException {
        Map<String, Report> all = read(lines);
        List<String> allocators =
                all.values().stream().map(r -> r.allocator).distinct().toList();
        if (allocators.isEmpty()) {
            throw new CommandException(
                    CommandException.FAILED,
                    "html: " + source + " holds no report lines (JSON objects with \"type\":\"summary\"); turn them"
                            + " on with the agent option reportJson=true and route logger org.slab4j.report.json to a"
                            + " file");
        }
        String chosen = allocator != null ? allocator : allocators.contains("global") ? "global" : allocators.get(0);
        List<Report> reports =
                all.values().stream().filter(r -> r.allocator.equals(chosen)).toList();
        if (reports.isEmpty()) {
            throw new CommandException(
                    CommandException.FAILED,
                    "html: " + source + " has no report of allocator '" + chosen + "'; it has " + allocators);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("source", source);
        data.put("allocator", chosen);
        data.put("allocators", allocators);
        data.put("times", reports.stream().map(r -> r.time).toList());
        data.put("cacheBytes", top(reports, r -> r.caches, "name", c -> num(c, "slabBytes"), "other caches"));
        Map<String, Object> objects = new LinkedHashMap<>();
        objects.put("in use", summary(reports, "inUseObjects"));
        objects.put("cached", summary(reports, "cachedObjects"));
        objects.put("free", summary(reports, "freeObjects"));
        data.put("objects", objects);
        Map<String, Object> slabs = new LinkedHashMap<>();
        slabs.put("slabs", summary(reports, "slabs"));
        slabs.put("active slabs", summary(reports, "activeSlabs"));
        data.put("slabs", slabs);
        data.put("typeBytes", top(reports, r -> r.types, "class", HtmlReport::liveBytes, null));
        Map<String, List<Double>> leaks = top(reports, r -> r.sites, "site", s -> num(s, "leaks"), null);
        leaks.values().removeIf(series -> series.stream().allMatch(v -> v == 0));
        data.put("siteLeaks", leaks);
        Report last = reports.getLast();
        data.put(
                "last",
                Map.of(
                        "time",
                        last.time,
                        "summary",
                        last.summary,
                        "caches",
                        last.caches,
                        "types",
                        last.types,
                        "sites",
                        last.sites));
        StringBuilder json = new StringBuilder();
        Json.write(json, data);
        String template = template();
        int at = template.indexOf(DATA);
        return template.substring(0, at) + json + template.substring(at + DATA.length());
    }

    private static Map<String, Report> read(List<String> lines) {
        Map<String, Report> reports = new LinkedHashMap<>();
        Report current = null;
        for (String line : lines) {
            String l = line.strip();
            int brace = l.indexOf('{');
            if (brace < 0) {
                continue;
            }
            Object v;
            try {
                v = Json.parse(l, brace);
            } catch (IllegalArgumentException e) {
                continue; // not a report line
            }
            if (!(v instanceof Map<?, ?> m) || !(m.get("type") instanceof String type)) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> o = (Map<String, Object>) m;
            String allocator = o.get("allocator") instanceof String a ? a : null;
            String time = o.get("time") instanceof String t ? t : null;
            if (type.equals("summary")) {
                String a = allocator == null ? "global" : allocator;
                String t = time == null ? "#" + reports.size() : time;
                current = reports.computeIfAbsent(a + '\n' + t, k -> new Report(a, t));
                current.summary = o;
                continue;
            }
            Report r = allocator != null && time != null ? reports.get(allocator + '\n' + time) : current;
            if (r == null) {
                continue; // a line of a report whose summary is not in the file
            }
            switch (type) {
                case "cache" -> r.caches.add(o);
                case "slabType" -> r.types.add(o);
                case "site" -> r.sites.add(o);
                default -> {
                    // a kind of line this version does not chart
                }
            }
        }
        return reports;
    }

    private static List<Double> summary(List<Report> reports, String field) {
        return reports.stream().map(r -> num(r.summary, field)).toList();
    }

    /**
     * @return one series per item name (the {@value #TOP_SERIES} largest by their largest value), each a value per
     *     report (0 where the item is absent), plus one series summing the rest when {@code rest} names it
     */
    private static Map<String, List<Double>> top(
            List<Report> reports,
            Function<Report, List<Map<String, Object>>> items,
            String nameField,
            ToDoubleFunction<Map<String, Object>> value,
            String rest) {
        Map<String, double[]> series = new LinkedHashMap<>();
        for (int i = 0; i < reports.size(); i++) {
            for (Map<String, Object> item : items.apply(reports.get(i))) {
                String name = String.valueOf(item.get(nameField))
                        + (item.get("class") instanceof String c && !nameField.equals("class") ? " (" + c + ")" : "");
                series.computeIfAbsent(name, k -> new double[reports.size()])[i] += value.applyAsDouble(item);
            }
        }
        List<String> names = new ArrayList<>(series.keySet());
        names.sort(Comparator.comparingDouble((String n) -> max(series.get(n))).reversed());
        Map<String, List<Double>> out = new LinkedHashMap<>();
        double[] others = new double[reports.size()];
        for (int k = 0; k < names.size(); k++) {
            double[] s = series.get(names.get(k));
            if (k < TOP_SERIES) {
                List<Double> l = new ArrayList<>(s.length);
                for (double d : s) {
                    l.add(d);
                }
                out.put(names.get(k), l);
            } else {
                for (int i = 0; i < s.length; i++) {
                    others[i] += s[i];
                }
            }
        }
        if (rest != null && names.size() > TOP_SERIES) {
            List<Double> l = new ArrayList<>(others.length);
            for (double d : others) {
                l.add(d);
            }
            out.put(rest, l);
        }
        return out;
    }

    private static double max(double[] values) {
        double m = 0;
        for (double v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** @return a number field, 0 when absent or null (not known) */
    private static double num(Map<String, Object> o, String field) {
        return o.get(field) instanceof Number n ? n.doubleValue() : 0;
    }

    private static double liveBytes(Map<String, Object> type) {
        return type.get("liveBytes") instanceof Number n
                ? n.doubleValue()
                : num(type, "live") * num(type, "objectSize"); // lines written before liveBytes was added
    }

    private static String template() {
        try (InputStream in = HtmlReport.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException(TEMPLATE + " is missing from the agent jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + TEMPLATE + " from the agent jar", e);
        }
    }
}
