package org.slab4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link PerfAnnotate} on a disassembly and samples made up in the format the JVM and perf print. */
class PerfAnnotateTest {
    private static final List<String> DISASSEMBLY = List.of(
            "OpenJDK 64-Bit Server VM warning: whatever",
            "Compiled method (c2) 2240 1675 %     4       org.slab4j.bench.LiveSet::run @ 123 (345 bytes)",
            " total in heap  [0x00007f56305a8e08,0x00007f56305aba40] = 11320",
            "  0x00007f0000001000:   mov     r10d,dword ptr [rcx+8h]     ; implicit exception: dispatches to 0x1",
            "  0x00007f0000001004:   cmp     r10d,1026070h               ;   {metadata('Slab')}",
            "                                                            ;   {other}",
            "  0x00007f000000100b:   jne     7f0000002000h",
            "Compiled method (c1) 2241 1676       3       org.slab4j.Other::method (5 bytes)",
            "  0x00007f0000003000:   ret",
            "Compiled method (c2) 2242 1677       4       org.slab4j.Empty::method (1 bytes)",
            "Compiled method (c2) 2243 1678       4       org.slab4j.Lower::method (3 bytes)",
            "  0x00007f0000000800:   ret");

    @Test
    void instructionsOutOfOrderAndOverlappingMethodsAreReported() {
        assertThrows(
                IllegalArgumentException.class,
                () -> PerfAnnotate.parse(List.of(
                        "Compiled method (c2) 1 1 4 A::a (1 bytes)",
                        "  0x0000000000001004:   nop",
                        "  0x0000000000001000:   ret")));
        List<PerfAnnotate.Method> methods = PerfAnnotate.parse(List.of(
                "Compiled method (c2) 1 1 4 A::a (1 bytes)",
                "  0x0000000000001000:   nop",
                "Compiled method (c2) 2 2 4 B::b (1 bytes)",
                "  0x0000000000001008:   ret"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PerfAnnotate.report(methods, List.of(0x1008L), "B::b", 5, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("warning: overlapping code"), out);
        assertTrue(out.contains("B::b (1 bytes): 1 samples"), out);
    }

    @Test
    void samplesLandOnTheirInstructionsAndTheOneBeforeIsShown() {
        List<PerfAnnotate.Method> methods = PerfAnnotate.parse(DISASSEMBLY);
        assertEquals(3, methods.size(), "methods without instructions are dropped");
        assertTrue(methods.getFirst().header().contains("Lower::method"), "by address, not by order printed");
        PerfAnnotate.Method loop = methods.get(1);
        assertEquals(3, loop.addresses().size());
        assertEquals(1, loop.indexOf(0x7f0000001004L));
        assertEquals(1, loop.indexOf(0x7f0000001008L), "an address inside an instruction");
        assertEquals(loop, PerfAnnotate.methodAt(methods, 0x7f000000100bL + 15));
        assertNull(PerfAnnotate.methodAt(methods, 0x7f000000100bL + 16), "past the last instruction");
        assertNull(PerfAnnotate.methodAt(methods, 0x7f0000000fffL), "between two methods");
        assertNull(PerfAnnotate.methodAt(methods, 0x7f00000007ffL), "before the first method");

        List<Long> samples = PerfAnnotate.addresses(
                List.of("     7f0000001004", "7f0000001005", "", "7f0000001000", "7f0000003000", "ffffffff82239900"));
        assertEquals(5, samples.size());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PerfAnnotate.report(
                methods, samples, "LiveSet::run @ 123", 10, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("5 samples, 4 in compiled methods printed"), out);
        assertTrue(out.contains("      3  Compiled method (c2) 2240"), out);
        assertTrue(out.contains("      1  Compiled method (c1) 2241"), out);
        assertTrue(out.contains("LiveSet::run @ 123 (345 bytes): 3 samples"), out);
        String top =
                out.lines().filter(l -> l.contains("66.7%")).findFirst().orElseThrow(() -> new AssertionError(out));
        assertTrue(top.startsWith("      2  66.7%  7f0000001004  cmp     r10d,1026070h"), top);
        assertTrue(top.contains(" <- mov     r10d,dword ptr [rcx+8h]"), "the instruction before it: " + top);
        assertTrue(!out.contains("Other::method (5 bytes): "), "only the filtered method's instructions: " + out);
    }
}
