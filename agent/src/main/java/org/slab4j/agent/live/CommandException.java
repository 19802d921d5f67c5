package org.slab4j.agent.live;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;

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

    /**
     * @param what what could not be done, as {@code "jfc: cannot write FILE"}
     * @return a {@link #FAILED} command that says why, in words: the exception's own message is often only the path
     */
    static CommandException io(String what, IOException e) {
        String why = e instanceof NoSuchFileException
                ? "no such file or directory"
                : e instanceof AccessDeniedException
                        ? "permission denied"
                        : e instanceof FileSystemException f && f.getReason() != null
                                ? f.getReason().toLowerCase(Locale.ROOT)
                                : e.getMessage() != null
                                        ? e.getMessage()
                                        : e.getClass().getSimpleName();
        return new CommandException(FAILED, what + ": " + why);
    }

    /** @return the exit status the command ends with */
    public int status() {
        return status;
    }
}
