package org.slab4j.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The sample's command line: both {@code --opt value} and {@code --opt=value}, and errors that name the option. */
class OptionsTest {
    @Test
    void theDefaults() {
        assertEquals(new Options(Duration.ofSeconds(15), 2, 2, 2, 400_000), Options.parse());
    }

    @Test
    void valuesAfterASpaceOrAnEqualsSign() {
        Options expected = new Options(Duration.ofMillis(1500), 3, 4, 1, 0);
        assertEquals(
                expected,
                Options.parse(
                        "--duration", "1.5s", "--gateways", "3", "--matchers", "4", "--nodes", "1", "--rate", "0"));
        assertEquals(
                expected, Options.parse("--duration=1.5s", "--gateways=3", "--matchers=4", "--nodes=1", "--rate=0"));
        assertEquals(
                expected,
                Options.parse("--duration=1500ms", "--gateways", "3", "--matchers=4", "--nodes=1", "--rate", "0"));
        assertEquals(Duration.ofMinutes(2), Options.parse("--duration=2m").duration());
        assertEquals(Duration.ofSeconds(7), Options.parse("--duration", "7").duration());
    }

    @Test
    void help() {
        assertNull(Options.parse("--help"));
        assertNull(Options.parse("--rate=5", "-h"));
    }

    @Test
    void errorsNameTheOptionAndTheValue() {
        assertError("--gateways: 'abc' is not a whole number", "--gateways", "abc");
        assertError("--matchers: '' is not a whole number", "--matchers=");
        assertError("--nodes must be at least 1, not 0", "--nodes=0");
        assertError("--gateways must be at most 2147483647, not 2147483648", "--gateways", "2147483648");
        assertError("--rate: '4e5' is not a whole number", "--rate", "4e5");
        assertError("--rate must be 0 or more, not -1", "--rate=-1");
        assertError("--duration: '5x' is not a duration such as 15s, 500ms or 1m", "--duration=5x");
        assertError("--duration must be more than 0, not 0s", "--duration", "0s");
        assertError("--duration needs a value, e.g. --duration 15s or --duration=15s", "--gateways=1", "--duration");
        assertError(
                "unknown option --speed; the options are --duration, --gateways, --matchers, --nodes, --rate and --help",
                "--speed",
                "3");
        assertError(
                "unknown option --speed; the options are --duration, --gateways, --matchers, --nodes, --rate and --help",
                "--speed=3");
        assertError(
                "unknown option 15s; the options are --duration, --gateways, --matchers, --nodes, --rate and --help",
                "15s");
    }

    private static void assertError(String message, String... args) {
        assertEquals(
                message,
                assertThrows(IllegalArgumentException.class, () -> Options.parse(args))
                        .getMessage());
    }
}
