package dev.gptoss4j.tools.sandbox;

/** Why a call did not finish normally; {@link #NONE} when it did. */
public enum ErrorKind {
    /** The code ran to the end. */
    NONE,
    /** The code did not parse; nothing ran. */
    SYNTAX_ERROR,
    /** The code raised an error (including sandbox denials such as a refused file or a missing host class). */
    EXCEPTION,
    /**
     * The wall-clock limit (which includes the sandbox's start-up) was hit. The code was interrupted and the
     * session kept, or, when it could not be interrupted in time, cancelled and the session reset: see
     * {@link ExecutionResult#sessionReset()}.
     */
    TIMEOUT,
    /** The statement budget was used up; the session was reset. */
    STATEMENT_LIMIT,
    /** The code used more memory than allowed (or the guest ran out of memory); the session was reset. */
    MEMORY_LIMIT,
    /** The guest program exited (for example os._exit); the session was reset. */
    EXIT,
    /** The sandbox machinery itself failed; the session was reset. */
    SANDBOX_FAILURE;

    /** True for the kinds after which the guest context is always thrown away and a fresh one is used next. */
    public boolean resetsSession() {
        return switch (this) {
            case STATEMENT_LIMIT, MEMORY_LIMIT, EXIT, SANDBOX_FAILURE -> true;
            default -> false;
        };
    }
}
