package org.slab4j;

/**
 * A {@link org.slab4j.annotation.Slab} class is configured wrongly (no size, a missing layout or constructor, a bad
 * {@link org.slab4j.annotation.SlabSegment} field, ...). Thrown when such a class is instantiated; the message names
 * the class and the fix.
 */
public final class SlabConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message the class, what is wrong and how to fix it */
    public SlabConfigurationException(String message) {
        super(message);
    }

    /**
     * @param message the class, what is wrong and how to fix it
     * @param cause what failed
     */
    public SlabConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
