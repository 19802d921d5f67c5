package org.slab4j;

/**
 * An allocation needed new pages and the allocator's memory limit (or the operating system) refused them.
 *
 * <p>The message names the cache, the request and the limit. Nothing is changed by the failed allocation: frees keep
 * working, and allocations succeed again once memory has been freed or the limit allows it.
 */
public final class SlabOutOfMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was asked for, by which cache, and which limit refused it
     * @param cause the operating system's refusal, or {@code null} when the configured limit refused
     */
    public SlabOutOfMemoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
