package dev.gptoss4j.agent.hub;

import java.nio.file.Path;
import java.util.List;

/**
 * A revision of a repository as it lies in the hub cache.
 *
 * @param repo   the repository and revision asked for
 * @param commit the commit hash the revision resolved to
 * @param path   the snapshot folder, {@code <cache>/models--owner--name/snapshots/<commit>}
 * @param files  the files selected and present, in the order the Hub listed them
 */
public record Snapshot(RepoId repo, String commit, Path path, List<SnapshotFile> files) {

    public Snapshot {
        files = List.copyOf(files);
    }

    /**
     * One file of a snapshot.
     *
     * @param name       its path inside the repository
     * @param size       bytes
     * @param path       the snapshot entry (a link into {@code blobs/})
     * @param downloaded whether this run fetched it (false: it was already cached)
     */
    public record SnapshotFile(String name, long size, Path path, boolean downloaded) {}
}
