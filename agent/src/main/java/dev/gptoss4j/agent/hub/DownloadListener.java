package dev.gptoss4j.agent.hub;

/** Hears how a snapshot download goes; all methods are called on the downloading thread. */
public interface DownloadListener {

    /** Nothing to hear. */
    DownloadListener NONE = new DownloadListener() {};

    /**
     * The files to fetch are known.
     *
     * @param totalBytes  bytes of all selected files (those of unknown size count 0)
     * @param cachedBytes of which already in the cache
     */
    default void onStart(RepoId repo, String commit, int files, long totalBytes, long cachedBytes) {}

    /** A file starts downloading, {@code resumedFrom} bytes already on disk from an earlier attempt. */
    default void onFileStart(String file, long size, long resumedFrom) {}

    /** {@code done} of {@code size} bytes of {@code file} are on disk ({@code size} -1 when unknown). */
    default void onProgress(String file, long done, long size) {}

    /** The connection broke; the download goes on from {@code done} after a short pause. */
    default void onRetry(String file, long done, Exception cause) {}

    /** The file is complete and verified. */
    default void onFileDone(String file) {}

    /** All files are in place. */
    default void onFinish(Snapshot snapshot) {}
}
