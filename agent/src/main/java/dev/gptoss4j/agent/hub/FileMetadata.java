package dev.gptoss4j.agent.hub;

/**
 * One file as the Hub's {@code HEAD /{repo}/resolve/{revision}/{path}} describes it.
 *
 * @param commit the commit it was resolved at ({@code X-Repo-Commit})
 * @param etag   {@code X-Linked-Etag} (LFS files: the sha256 of the content) or {@code ETag} (the git blob sha1),
 *               without quotes or the weak prefix; it names the blob in the cache
 * @param size   {@code X-Linked-Size} or {@code Content-Length}; -1 when the server gave neither
 */
public record FileMetadata(String commit, String etag, long size) {

    /** Whether the etag is a sha256 of the content, which the download is checked against. */
    public boolean isSha256() {
        return etag.matches("[0-9a-f]{64}");
    }

    /** Whether the etag is a git blob id (sha1 over "blob SIZE\0" and the content), checked likewise. */
    public boolean isGitBlobId() {
        return etag.matches("[0-9a-f]{40}") && size >= 0;
    }
}
