package dev.gptoss4j.agent.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Hugging Face hub cache on disk, laid out as {@code huggingface_hub} lays it out so both share one cache:
 *
 * <pre>
 * &lt;cache&gt;/models--owner--name/
 *     blobs/&lt;etag&gt;                 file contents, named by the Hub's ETag: sha256 for LFS files, git blob sha1 else
 *     blobs/&lt;etag&gt;.incomplete      a download in progress (resumed with a Range request)
 *     refs/&lt;revision&gt;              the commit hash the revision (branch, tag) pointed to
 *     snapshots/&lt;commit&gt;/&lt;path&gt;   relative symlinks to ../../blobs/&lt;etag&gt;
 * &lt;cache&gt;/.locks/models--owner--name/&lt;etag&gt;.lock
 * </pre>
 */
public final class HubCache {

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    private final Path root;

    public HubCache(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path repoDir(RepoId id) {
        return root.resolve(id.folderName());
    }

    public Path blobsDir(RepoId id) {
        return repoDir(id).resolve("blobs");
    }

    public Path blob(RepoId id, String etag) {
        return blobsDir(id).resolve(etag);
    }

    public Path incomplete(RepoId id, String etag) {
        return blobsDir(id).resolve(etag + ".incomplete");
    }

    public Path lockFile(RepoId id, String etag) {
        return root.resolve(".locks").resolve(id.folderName()).resolve(etag + ".lock");
    }

    public Path refFile(RepoId id) {
        return repoDir(id).resolve("refs").resolve(id.revision());
    }

    public Path snapshotDir(RepoId id, String commit) {
        return repoDir(id).resolve("snapshots").resolve(commit);
    }

    /**
     * The path a repository file takes inside a snapshot; refuses names that would land outside it (a server
     * listing {@code ../../x} must not write anywhere else on disk).
     */
    public Path pointer(RepoId id, String commit, String file) {
        Path snapshot = snapshotDir(id, commit).toAbsolutePath().normalize();
        if (file.isEmpty() || file.startsWith("/") || file.contains("\\")) {
            throw new HubException(HubException.Reason.PROTOCOL, id.repo() + ": refusing file name '" + file + "'");
        }
        Path p = snapshot.resolve(file).normalize();
        if (!p.startsWith(snapshot) || p.equals(snapshot)) {
            throw new HubException(
                    HubException.Reason.PROTOCOL,
                    id.repo() + ": refusing file name '" + file + "' (it leaves the snapshot folder)");
        }
        return p;
    }

    /** The commit the revision resolves to from what is on disk, if known. */
    public Optional<String> commitOf(RepoId id) {
        if (id.isCommit()) return Optional.of(id.revision());
        Path ref = refFile(id);
        try {
            if (!Files.isRegularFile(ref)) return Optional.empty();
            String commit = Files.readString(ref).strip();
            return COMMIT.matcher(commit).matches() ? Optional.of(commit) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public void writeRef(RepoId id, String commit) {
        if (id.isCommit()) return;
        Path ref = refFile(id);
        try {
            if (Files.isRegularFile(ref) && Files.readString(ref).strip().equals(commit)) return;
            Files.createDirectories(ref.getParent());
            Path tmp = ref.resolveSibling(ref.getFileName() + ".tmp");
            Files.writeString(tmp, commit); // no newline: huggingface_hub writes the bare hash
            Files.move(
                    tmp,
                    ref,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new HubException(HubException.Reason.LOCAL_IO, "cannot write " + ref + ": " + e.getMessage(), e);
        }
    }

    /** The loadable model in the cached snapshot of {@code id}, when a complete one is on disk. */
    public Optional<Path> completeModel(RepoId id) {
        return commitOf(id).flatMap(c -> modelIn(snapshotDir(id, c)));
    }

    /**
     * The loadable model inside a snapshot folder: the folder itself for a checkpoint (config.json and every
     * safetensors file the index names, or at least one safetensors file without an index), or the single
     * {@code .gguf} file of a GGUF repository (with or without a config.json beside it). Empty when files are missing or links dangle (a download that
     * did not finish).
     */
    public static Optional<Path> modelIn(Path dir) {
        if (!Files.isDirectory(dir)) return Optional.empty();
        try {
            if (Files.isRegularFile(dir.resolve("config.json"))) {
                Path index = dir.resolve("model.safetensors.index.json");
                if (Files.exists(index, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    if (!Files.isRegularFile(index)) return Optional.empty();
                    JsonNode map = new ObjectMapper().readTree(index.toFile()).path("weight_map");
                    if (!map.isObject() || map.isEmpty()) return Optional.empty();
                    for (Iterator<JsonNode> it = map.elements(); it.hasNext(); ) {
                        String shard = it.next().asText();
                        if (shard.isEmpty()
                                || !Files.isRegularFile(dir.resolve(shard).normalize())) {
                            return Optional.empty();
                        }
                    }
                    return Optional.of(dir);
                }
                if (!topLevel(dir, ".safetensors").isEmpty()) return Optional.of(dir);
                // a GGUF repository may carry a config.json too: its model is then the .gguf file
            }
            List<Path> ggufs = topLevel(dir, ".gguf");
            return ggufs.size() == 1 ? Optional.of(ggufs.get(0)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // unreadable index: treat as incomplete and let a download repair it
        }
    }

    private static List<Path> topLevel(Path dir, String suffix) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + suffix)) {
            for (Path p : ds) if (Files.isRegularFile(p)) out.add(p); // follows the link: a dangling one is absent
        }
        return out;
    }
}
