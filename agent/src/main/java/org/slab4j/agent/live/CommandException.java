package org.slab4j.agent.live;

/**
 * A command of the agent jar could not do its work: the message says why and what to do, for the user, without a stack
 * trace.
 */
public final class CommandException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The exit status for a command that failed (2 is for usage errors). */
    public static final int FAILED = 1;

    /** The exit status for a command line that is not understood. */
    public static final int USAGE = 2;

    private final int status;

    /**
     * @param status the exit status: {@link #FAILED} or {@link #USAGE}
     * @param message what went wrong and what to do
     */
    public CommandException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** @return the exit status the command ends with */
    public int status() {
        return status;
    }
}
