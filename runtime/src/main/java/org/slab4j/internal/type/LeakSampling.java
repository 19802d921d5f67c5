package org.slab4j.internal.type;

/**
 * Which instances of a {@link org.slab4j.annotation.Slab.Release#SAMPLED} type are watched for leaks: the system
 * properties {@value #MODE} ({@code sample}, {@code all} or {@code off}) and {@value #RATE} (one instance in this many
 * when sampling), read where a type is created.
 */
final class LeakSampling {
    static final String MODE = "slab4j.leaks";
    static final String RATE = "slab4j.leaks.rate";
    static final int DEFAULT_RATE = 128;

    private LeakSampling() {}

    /**
     * @return watch one instance in this many: 0 for none
     * @throws IllegalArgumentException naming the property, its value and what is accepted
     */
    static int every() {
        String mode = System.getProperty(MODE, "sample").strip();
        return switch (mode) {
            case "off" -> 0;
            case "all" -> 1;
            case "sample" -> rate();
            default ->
                throw new IllegalArgumentException("-D" + MODE + "=" + mode
                        + " is not off, sample or all; give one of those (sample is the default)");
        };
    }

    private static int rate() {
        String value = System.getProperty(RATE, String.valueOf(DEFAULT_RATE)).strip();
        try {
            int rate = Integer.parseInt(value);
            if (rate >= 1) {
                return rate;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + RATE + "=" + value
                + " is not a whole number of 1 or more; give N to watch one instance in N (default "
                + DEFAULT_RATE + ")");
    }
}
