package org.slab4j.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The sample's command line: both {@code --opt value} and {@code --opt=value}, and errors that name the option. */
class OptionsTest {
    @Test
    void valuesAfterASpaceOrAnEqualsSign() {
        Options spaced = Options.parse(
                "--duration", "1.5s", "--gateways", "3", "--matchers", "4", "--nodes", "1", "--rate", "0");
        assertEquals(Duration.ofMillis(1500), spaced.duration());
        assertEquals(3, spaced.gateways());
        assertEquals(4, spaced.matchers());
        assertEquals(1, spaced.nodes());
        assertEquals(0, spaced.rate());
        assertEquals(spaced, Options.parse("--duration=1.5s", "--gateways=3", "--matchers=4", "--nodes=1", "--rate=0"));
        assertEquals(
                spaced,
                Options.parse("--duration=1500ms", "--gateways", "3", "--matchers=4", "--nodes=1", "--rate", "0"));
        assertEquals(Duration.ofMinutes(2), Options.parse("--duration=2m").duration());
        assertEquals(Duration.ofSeconds(7), Options.parse("--duration", "7").duration());
    }

    @Test
    void theBookAndThePhases() {
        Options defaults = Options.parse();
        assertEquals(1_000_000, defaults.book());
        assertEquals(3, defaults.phases());
        Options o = Options.parse("--book=2000", "--warmup", "500ms", "--phases", "5", "--duration=1s");
        assertEquals(2000, o.book());
        assertEquals(Duration.ofMillis(500), o.warmup());
        assertEquals(5, o.phases());
        assertEquals(Duration.ofSeconds(1), o.duration());
        assertError("--phases must be at least 2 (one with slabs, one on the heap), not 1", "--phases=1");
        assertError("--book must be at least 1, not 0", "--book", "0");
        assertError("--warmup must be more than 0, not 0s", "--warmup=0s");
    }

    @Test
    void help() {
        assertNull(Options.parse("--help"));
        assertNull(Options.parse("--rate=5", "-h"));
    }

    @Test
    void valueErrorsNameTheOptionAndTheValue() {
        assertError("--gateways: 'abc' is not a whole number", "--gateways", "abc");
        assertError("--matchers: '' is not a whole number", "--matchers=");
        assertError("--nodes must be at least 1, not 0", "--nodes=0");
        assertError("--gateways must be at most 2147483647, not 2147483648", "--gateways", "2147483648");
        assertError("--rate: '4e5' is not a whole number", "--rate", "4e5");
        assertError("--rate must be 0 or more, not -1", "--rate=-1");
        assertError("--duration: '5x' is not a duration such as 15s, 500ms or 1m", "--duration=5x");
        assertError("--duration must be more than 0, not 0s", "--duration", "0s");
        assertError("--duration needs a value: --duration <value> or --duration=<value>", "--nodes=1", "--duration");
        assertError("--help takes no value", "--help=yes");
    }

    @Test
    void aRateBelowOnePerGatewayIsRefusedNotRunUnpaced() {
        // each gateway sends rate / gateways a second, and 0 a second means as fast as it can
        assertError("--rate must be 0 or at least 1 per gateway (2), not 1", "--rate", "1", "--gateways", "2");
        assertEquals(2, Options.parse("--rate=2", "--gateways=2").rate());
    }

    @Test
    void aRateAboveOnePerNanosecondPerGatewayIsRefusedNotRunUnpaced() {
        // each gateway waits 1_000_000_000 / (rate / gateways) ns between messages: 0 ns, unpaced, above 10^9/s
        assertError("--rate must be at most 1000000000 per gateway (1), not 2000000000", "--rate", "2000000000");
        assertEquals(
                2_000_000_000L,
                Options.parse("--rate=2000000000", "--gateways=2").rate());
    }

    @Test
    void outOfRangeValuesAreNamedNotThrownAsTheyFail() {
        assertError("--nodes must be at most 64, not 65", "--nodes", "65");
        assertError("--duration: 'soon' is not a duration such as 15s, 500ms or 1m", "--duration", "soon");
        // a Duration, but not in nanoseconds, the unit the engine sleeps in: it threw after the fill and the warm-up,
        // and the JVM hung on the engine's threads; a duration all the same, so it is named too long, not "not a
        // duration"
        for (String tooLong :
                new String[] {"9223372036854775807ms", "1e300s", "Infinitys", "200000000m", "999999999999999999m"}) {
            assertError("--duration: '" + tooLong + "' is too long (at most 292 years)", "--duration", tooLong);
            assertError("--warmup: '" + tooLong + "' is too long (at most 292 years)", "--warmup", tooLong);
        }
    }

    @Test
    void anUnknownOptionIsNamedWithTheKnownOnes() {
        for (String[] args : new String[][] {{"--speed", "3"}, {"--speed=3"}, {"--speed"}}) {
            String message = assertThrows(IllegalArgumentException.class, () -> Options.parse(args))
                    .getMessage();
            assertTrue(message.startsWith("unknown option --speed; the options are --"), message);
            assertTrue(
                    message.contains("--duration, ") && message.contains("--rate, ") && message.endsWith(", --help"),
                    message);
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Options.parse("15s"))
                .getMessage()
                .startsWith("unknown option 15s; "));
    }

    private static void assertError(String message, String... args) {
        assertEquals(
                message,
                assertThrows(IllegalArgumentException.class, () -> Options.parse(args))
                        .getMessage());
    }
}
