package org.slab4j.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps timer samples of a JVM onto the instructions of its compiled methods, for machines without hardware performance
 * counters (this project's VMs): where in one inlined loop the time goes, load by load. Inputs:
 *
 * <ul>
 *   <li>the JVM's own disassembly of the methods of interest ({@code -XX:+UnlockDiagnosticVMOptions
 *       -XX:CompileCommand=print,Class::method}, with hsdis installed, see {@code benchmarks/hsdis}): each method opens
 *       with a {@code Compiled method} line, each instruction is a line {@code 0x<address>: <instruction>};
 *   <li>the sampled instruction addresses, one hexadecimal address a line: {@code perf record -e cpu-clock -p PID}
 *       while the loop runs, then {@code perf script -F ip}.
 * </ul>
 *
 * It prints how many samples fell in each compiled method, then the most sampled instructions of the methods whose
 * header contains the filter, each with the instruction before it in the code: a timer sample lands on the instruction
 * that retires next, so a stall on a load is counted on the instruction after it (at a branch target, the instruction
 * before it in the code may not be the one that ran before it). See {@code docs/performance.md}, "Where a
 * replacement's time goes", for the commands and a reading.
 *
 * <p>Arguments: the disassembly file, the addresses file, the method filter (e.g. {@code "LiveSet::run @ 123"}), and
 * optionally how many instructions to print (30).
 */
public final class PerfAnnotate {
    private static final Pattern INSTRUCTION = Pattern.compile("^\\s*0x([0-9a-f]+):\\s+(.*)$");

    private PerfAnnotate() {}

    /** One compiled method: its header line and its instructions, by ascending address. */
    record Method(String header, List<Long> addresses, List<String> instructions) {
        long start() {
            return addresses.getFirst();
        }

        /** @return the end of the method's code: its last instruction is taken to be at most 16 bytes long */
        long end() {
            return addresses.getLast() + 16;
        }

        /** @return the index of the instruction holding {@code address}, which lies in this method */
        int indexOf(long address) {
            int lo = 0;
            int hi = addresses.size() - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (Long.compareUnsigned(addresses.get(mid), address) <= 0) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            return lo;
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3 || args.length > 4) {
            throw new IllegalArgumentException(
                    "usage: PerfAnnotate DISASSEMBLY ADDRESSES METHOD-FILTER [INSTRUCTIONS]");
        }
        List<Method> methods = parse(Files.readAllLines(Path.of(args[0])));
        List<Long> samples = addresses(Files.readAllLines(Path.of(args[1])));
        report(methods, samples, args[2], args.length == 4 ? Integer.parseInt(args[3]) : 30, System.out);
    }

    /**
     * @return the compiled methods of a disassembly, those with at least one instruction, by start address
     * @throws IllegalArgumentException if a method's instructions are not in ascending address order
     */
    static List<Method> parse(List<String> lines) {
        List<Method> methods = new ArrayList<>();
        Method current = null;
        for (String line : lines) {
            if (line.startsWith("Compiled method")) {
                current = new Method(line.strip(), new ArrayList<>(), new ArrayList<>());
                methods.add(current);
                continue;
            }
            Matcher m = INSTRUCTION.matcher(line);
            if (current != null && m.matches()) {
                long address = Long.parseUnsignedLong(m.group(1), 16);
                List<Long> addresses = current.addresses();
                if (!addresses.isEmpty() && Long.compareUnsigned(address, addresses.getLast()) <= 0) {
                    throw new IllegalArgumentException("instructions out of order in " + current.header() + ": "
                            + Long.toHexString(address) + " after " + Long.toHexString(addresses.getLast()));
                }
                addresses.add(address);
                current.instructions().add(m.group(2).strip());
            }
        }
        methods.removeIf(method -> method.addresses().isEmpty());
        methods.sort(Comparator.comparing(Method::start, Long::compareUnsigned));
        return methods;
    }

    /** @return the addresses of {@code perf script -F ip} output, blank lines skipped */
    static List<Long> addresses(List<String> lines) {
        List<Long> out = new ArrayList<>();
        for (String line : lines) {
            String s = line.strip();
            if (!s.isEmpty()) {
                out.add(Long.parseUnsignedLong(s, 16));
            }
        }
        return out;
    }

    /** @return the method whose code holds {@code address}, or {@code null} */
    static Method methodAt(List<Method> methods, long address) {
        Method found = null;
        for (Method m : methods) { // by start address: the last one starting at or before the address
            if (Long.compareUnsigned(m.start(), address) > 0) {
                break;
            }
            found = m;
        }
        return found != null && Long.compareUnsigned(address, found.end()) < 0 ? found : null;
    }

    /**
     * Prints the samples per method, and the {@code top} most sampled instructions of each method whose header contains
     * {@code filter}, in address order of the methods. Methods whose code overlaps (the code cache reused the space of
     * one for another) are named first: samples there are counted for the one that starts later.
     *
     * @param methods as {@link #parse} returns them
     */
    static void report(List<Method> methods, List<Long> samples, String filter, int top, PrintStream out) {
        for (int i = 1; i < methods.size(); i++) {
            if (Long.compareUnsigned(methods.get(i).start(), methods.get(i - 1).end()) < 0) {
                out.printf(
                        "warning: overlapping code, samples there go to the second:%n  %s%n  %s%n",
                        methods.get(i - 1).header(), methods.get(i).header());
            }
        }
        Map<Method, Integer> byMethod = new IdentityHashMap<>();
        Map<Method, int[]> byInstruction = new IdentityHashMap<>();
        for (long address : samples) {
            Method m = methodAt(methods, address);
            if (m != null) {
                byMethod.merge(m, 1, Integer::sum);
                byInstruction.computeIfAbsent(m, k -> new int[k.addresses().size()])[m.indexOf(address)]++;
            }
        }
        out.printf(
                "%d samples, %d in compiled methods printed%n",
                samples.size(),
                byMethod.values().stream().mapToInt(Integer::intValue).sum());
        byMethod.entrySet().stream()
                .sorted(Map.Entry.<Method, Integer>comparingByValue().reversed())
                .limit(5)
                .forEach(e -> out.printf("%7d  %s%n", e.getValue(), e.getKey().header()));
        for (Method m : methods) {
            int[] counts = byInstruction.get(m);
            if (counts == null || !m.header().contains(filter)) {
                continue;
            }
            int total = byMethod.get(m);
            out.printf("%n%s: %d samples; sampled instruction <- the one before it in the code%n", m.header(), total);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    order.add(i);
                }
            }
            order.sort((a, b) -> Integer.compare(counts[b], counts[a]));
            for (int i : order.subList(0, Math.min(top, order.size()))) {
                out.printf(
                        "%7d %5.1f%%  %x  %-50.50s <- %.70s%n",
                        counts[i],
                        100.0 * counts[i] / total,
                        m.addresses().get(i),
                        m.instructions().get(i),
                        i > 0 ? m.instructions().get(i - 1) : "");
            }
        }
    }
}
