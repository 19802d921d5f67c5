package org.slab4j.internal.type;

import java.util.function.Consumer;
import org.slab4j.internal.config.GlobalOptions;
import org.slab4j.internal.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which instances of a {@link org.slab4j.annotation.Slab.Release#SAMPLED} type are watched for leaks: the options
 * {@code leaks} ({@code sample}, {@code all} or {@code off}) and {@code leakRate} (one instance in this many when
 * sampling), from the agent's arguments, {@code -Dslab4j.leaks}/{@code -Dslab4j.leakRate} or {@code SLAB4J_LEAKS}/
 * {@code SLAB4J_LEAK_RATE}, read once per JVM.
 */
final class LeakSampling {
    static final int DEFAULT_RATE = 128;
    private static final Logger LOG = LoggerFactory.getLogger("org.slab4j.config");

    /** Watch one instance in this many; 0 for none. */
    static final int EVERY = every(Settings.current(), LOG::warn);

    private LeakSampling() {}

    /**
     * @param warn where a value that cannot be read is named; the default applies then
     * @return watch one instance in this many: 0 for none
     */
    static int every(Settings settings, Consumer<String> warn) {
        String mode = settings.value(GlobalOptions.LEAKS, warn); // null when absent or not readable (named in warn)
        if ("off".equals(mode)) {
            return 0;
        }
        if ("all".equals(mode)) {
            return 1;
        }
        Integer rate = settings.value(GlobalOptions.LEAK_RATE, warn);
        return rate == null ? DEFAULT_RATE : rate;
    }
}
