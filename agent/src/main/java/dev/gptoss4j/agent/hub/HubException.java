package dev.gptoss4j.agent.hub;

/**
 * A model could not be found, fetched or verified. The message is one line meant for users; {@link #reason()}
 * tells programs what went wrong.
 */
public final class HubException extends RuntimeException {

    /** What kind of failure this is. */
    public enum Reason {
        /** The repository, revision, file or local model does not exist. */
        NOT_FOUND,
        /** The Hub wants a (different) access token: private repository, or the token was rejected. */
        UNAUTHORIZED,
        /** The token is valid but has no access (gated repository whose terms were not accepted). */
        FORBIDDEN,
        /** No network, or offline mode, and no usable local copy. */
        OFFLINE,
        /** The connection broke during a download; running again resumes it. */
        INTERRUPTED,
        /** A downloaded file does not match its size or checksum; the damaged file was deleted. */
        CHECKSUM,
        /** The server answered something the Hub protocol does not allow. */
        PROTOCOL,
        /** Reading or writing the local cache failed. */
        LOCAL_IO,
        /** A download was needed and its {@link DownloadApproval} declined it. */
        DECLINED
    }

    private final Reason reason;

    public HubException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public HubException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
