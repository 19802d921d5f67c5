package org.slab4j.bench;

import org.slab4j.Slabs;

/**
 * {@code new} + {@code Slabs.free} of {@link AgentBenchmark}'s {@code EXPLICIT} order, whose constructor C2 compiled
 * before its caller: C2 then inlines the constructor (with its allocation hook) only if its code is at most
 * {@code InlineSmallCode} bytes (2,500 on x86_64), else the caller calls it. {@code warm} (kept interpreted) makes the
 * constructor hot until C2 compiles it on its own; then {@code loop} is compiled. Prints the minimum time per operation
 * over batches of 2M.
 * From the project root after {@code mvn -q -DskipTests package}:
 *
 * <pre>{@code
 * java -javaagent:agent/target/slab4j-agent.jar=report=0 --enable-native-access=ALL-UNNAMED -Xms1g -Xmx1g \
 *   -XX:CompileCommand=quiet -XX:CompileCommand=exclude,org.slab4j.bench.ConstructorFirst::warm \
 *   -cp benchmarks/target/benchmarks.jar org.slab4j.bench.ConstructorFirst 25
 * }</pre>
 *
 * Add {@code -XX:+UnlockDiagnosticVMOptions -XX:CompileCommand=print,org.slab4j.bench.AgentBenchmark$SlabOrder::<init>}
 * for the constructor's code ("main code"), {@code -XX:CompileCommand=PrintInlining,org.slab4j.bench.ConstructorFirst::loop}
 * for C2's decision ("already compiled into a big method" when it is too large); the size C2 compares with
 * {@code InlineSmallCode} is the smallest {@code -XX:InlineSmallCode} at which {@code loop} inlines it.
 */
public class ConstructorFirst {
    static long warm(long i) {
        AgentBenchmark.SlabOrder o = new AgentBenchmark.SlabOrder(i);
        long id = o.id();
        Slabs.free(o);
        return id;
    }

    static long loop(int n) {
        long s = 0;
        for (int i = 0; i < n; i++) {
            AgentBenchmark.SlabOrder o = new AgentBenchmark.SlabOrder(i);
            s += o.id();
            Slabs.free(o);
        }
        return s;
    }

    public static void main(String[] args) throws Exception {
        int batches = args.length > 0 ? Integer.parseInt(args[0]) : 25;
        long s = 0;
        s += loop(1000); // its site listed, as warm's is, before the constructor is compiled
        for (int i = 0; i < 200_000; i++) {
            s += warm(i);
        }
        Thread.sleep(1500); // the constructor's C2 compile finishes
        for (int i = 0; i < 200_000; i++) {
            s += warm(i);
        }
        Thread.sleep(500);
        double best = Double.MAX_VALUE;
        for (int b = 0; b < batches; b++) {
            long t0 = System.nanoTime();
            s += loop(2_000_000);
            long t1 = System.nanoTime();
            best = Math.min(best, (t1 - t0) / 2_000_000.0);
        }
        System.out.printf("min %.2f ns/op (%d)%n", best, s & 1);
    }
}
