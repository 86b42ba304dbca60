package dev.gptoss4j.agent.hub;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a download of one revision will fetch, known before any byte of it is: the files and their sizes, how much
 * of it the cache already holds, and where it goes. {@link HubDownloader#plan} makes one, {@link
 * HubDownloader#download(DownloadPlan)} carries it out; in between a caller can ask the user or check the disk.
 *
 * @param repo        the repository and revision asked for
 * @param commit      the commit the revision resolved to
 * @param files       the selected files, in download order, with the Hub's metadata
 * @param totalBytes  bytes of all selected files (those of unknown size count 0)
 * @param cachedBytes of which already complete in the cache
 * @param cacheDir    the hub cache the files go into
 */
public record DownloadPlan(
        RepoId repo, String commit, Map<String, FileMetadata> files, long totalBytes, long cachedBytes, Path cacheDir) {

    public DownloadPlan {
        files = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }

    /** Bytes still to fetch over the network. */
    public long bytesToFetch() {
        return Math.max(0, totalBytes - cachedBytes);
    }
}
