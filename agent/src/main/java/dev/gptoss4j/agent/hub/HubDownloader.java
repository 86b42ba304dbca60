package dev.gptoss4j.agent.hub;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads a revision of a Hub repository into the {@link HubCache}: one {@code HEAD} per file for its commit,
 * ETag and size, blobs already cached are kept, partial blobs ({@code .incomplete}) are resumed with a
 * {@code Range} request, every blob is checked (sha256 for LFS files, the git blob id for the others) before it
 * takes its name, and the snapshot folder links to the blobs. The revision's ref is written only once every file
 * is in place, so a failed download never hides an older complete snapshot.
 */
public final class HubDownloader {

    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-\\d+/(\\d+|\\*)");
    private static final int BUFFER = 1 << 20;

    private final HubConfig config;
    private final HubCache cache;
    private final HubClient client;
    private final DownloadListener listener;
    private final int retries;
    private final Duration retryDelay;

    private HubDownloader(Builder b) {
        this.config = b.config;
        this.cache = new HubCache(b.config.cacheDir());
        this.client = new HubClient(b.config, b.http != null ? b.http : HubClient.defaultHttp());
        this.listener = b.listener;
        this.retries = b.retries;
        this.retryDelay = b.retryDelay;
    }

    public static Builder builder() {
        return new Builder();
    }

    public HubCache cache() {
        return cache;
    }

    /** Brings the selected files of {@code id} into the cache (fetching only what is missing). */
    public Snapshot download(RepoId id, FileSelection selection) {
        return download(plan(id, selection));
    }

    /**
     * What downloading {@code selection} of {@code id} involves (files, sizes, what is cached), from the Hub's
     * metadata only: nothing is written. A repository that holds no safetensors checkpoint but exactly one
     * top-level {@code .gguf} file gets that file under the default selection; with several, the error lists them.
     */
    public DownloadPlan plan(RepoId id, FileSelection selection) {
        if (config.offline()) {
            throw new HubException(
                    HubException.Reason.OFFLINE,
                    "HF_HUB_OFFLINE is set: not downloading " + id + " from " + config.endpoint());
        }
        RevisionInfo info = client.revision(id);
        String commit = info.commit();
        List<String> files = new ArrayList<>();
        for (String f : info.files()) if (selection.matches(f)) files.add(f);
        if (selection.includesDefaults()
                && selection.patterns().isEmpty()
                && files.stream().noneMatch(f -> f.endsWith(".safetensors"))) {
            files.addAll(ggufOnly(id, info.files()));
        }
        if (files.isEmpty()) {
            throw new HubException(
                    HubException.Reason.NOT_FOUND,
                    "no file of " + id + " matches " + selection + "; it has: " + summary(info.files()));
        }
        Map<String, FileMetadata> meta = new LinkedHashMap<>();
        long total = 0;
        long cached = 0;
        for (String f : files) {
            cache.pointer(id, commit, f); // refuse hostile names before anything is written
            FileMetadata m = client.metadata(id, commit, f);
            meta.put(f, m);
            if (m.size() > 0) {
                total += m.size();
                if (Files.exists(cache.blob(id, m.etag()))) cached += m.size();
            }
        }
        return new DownloadPlan(id, commit, meta, total, cached, cache.root());
    }

    /** Fetches what {@code plan} lists that the cache lacks, then links the snapshot and writes the ref. */
    public Snapshot download(DownloadPlan plan) {
        RepoId id = plan.repo();
        String commit = plan.commit();
        listener.onStart(id, commit, plan.files().size(), plan.totalBytes(), plan.cachedBytes());
        List<Snapshot.SnapshotFile> out = new ArrayList<>();
        for (Map.Entry<String, FileMetadata> e : plan.files().entrySet()) {
            String f = e.getKey();
            FileMetadata m = e.getValue();
            boolean fetched = fetch(id, commit, f, m);
            Path pointer = cache.pointer(id, commit, f);
            link(pointer, cache.blob(id, m.etag()));
            long size = m.size() >= 0 ? m.size() : sizeOf(pointer);
            out.add(new Snapshot.SnapshotFile(
                    f, size, cache.snapshotDir(id, commit).resolve(f), fetched));
        }
        cache.writeRef(id, commit);
        Snapshot s = new Snapshot(id, commit, cache.snapshotDir(id, commit), out);
        listener.onFinish(s);
        return s;
    }

    /**
     * The GGUF file of a GGUF-only repository (llama.cpp conversions are published that way): the one top-level
     * {@code .gguf}, none when there is none, and an error naming them when there are several to choose from.
     */
    private static List<String> ggufOnly(RepoId id, List<String> all) {
        List<String> ggufs = all.stream()
                .filter(f -> f.indexOf('/') < 0 && f.endsWith(".gguf"))
                .toList();
        if (ggufs.size() <= 1) return ggufs;
        throw new HubException(
                HubException.Reason.NOT_FOUND,
                id + " holds no safetensors checkpoint but "
                        + ggufs.size() + " GGUF files (" + summary(ggufs) + "): choose one with --include '"
                        + ggufs.get(0)
                        + "' (the engine loads F32, F16, BF16, Q8_0 and MXFP4 tensors)");
    }

    /** Puts one blob in place; false when it was already there. */
    private boolean fetch(RepoId id, String commit, String file, FileMetadata m) {
        Path blob = cache.blob(id, m.etag());
        if (Files.exists(blob)) return false;
        Path part = cache.incomplete(id, m.etag());
        Path lockFile = cache.lockFile(id, m.etag());
        try {
            Files.createDirectories(blob.getParent());
            Files.createDirectories(lockFile.getParent());
        } catch (IOException e) {
            throw new HubException(HubException.Reason.LOCAL_IO, "cannot create " + blob.getParent() + ": " + e, e);
        }
        try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = lock(lockChannel, file)) {
            if (Files.exists(blob)) return false; // another process finished it while we waited
            transfer(id, commit, file, m, part);
            try {
                Files.move(part, blob, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, blob, StandardCopyOption.REPLACE_EXISTING);
            }
            listener.onFileDone(file);
            return true;
        } catch (IOException e) {
            throw new HubException(HubException.Reason.LOCAL_IO, "cannot write " + part + ": " + e.getMessage(), e);
        }
    }

    private static FileLock lock(FileChannel channel, String file) throws IOException {
        try {
            return channel.lock();
        } catch (OverlappingFileLockException e) {
            throw new HubException(
                    HubException.Reason.LOCAL_IO, file + " is already being downloaded in this process", e);
        }
    }

    /** Fills {@code part} with the file's bytes, resuming what is there, then checks size and hash. */
    private void transfer(RepoId id, String commit, String file, FileMetadata m, Path part) throws IOException {
        long size = m.size();
        long have = Files.exists(part) ? Files.size(part) : 0;
        if (size >= 0 && have > size) {
            Files.delete(part); // longer than the file: not a prefix of it
            have = 0;
        }
        MessageDigest digest = newDigest(m);
        if (have > 0) hashPrefix(part, digest);
        listener.onFileStart(file, size, have);

        int failures = 0;
        while (size < 0 || have < size) {
            long before = have;
            try (HubClient.Response r = client.download(id, commit, file, have)) {
                if (r.code() == 416) {
                    // asked past the end: what we hold cannot be a prefix of this file, so start over
                    Files.deleteIfExists(part);
                    throw new IOException("server refused the range from byte " + have + " (HTTP 416)");
                }
                boolean resume = have > 0 && r.code() == 206 && rangeStart(r) == have;
                if (have > 0 && !resume) { // the server sent the whole file instead: start over
                    have = 0;
                    digest = newDigest(m);
                }
                have = copy(r.body(), part, resume, have, file, size, digest);
                if (size >= 0 && have < size) {
                    throw new EOFException("connection closed at byte " + have + " of " + size);
                }
                if (size < 0) break;
            } catch (IOException e) {
                // Whatever reached the disk is the prefix to resume from; the digest is rebuilt from it.
                have = Files.exists(part) ? Files.size(part) : 0;
                if (size >= 0 && have > size) {
                    Files.delete(part);
                    have = 0;
                }
                digest = newDigest(m);
                if (have > 0) hashPrefix(part, digest);
                if (have > before) failures = 0; // only failures in a row without progress count
                failures = onFailure(file, have, size, failures, e, null);
            } catch (HubException e) {
                if (e.reason() != HubException.Reason.OFFLINE && e.reason() != HubException.Reason.INTERRUPTED) throw e;
                failures = onFailure(file, have, size, failures, null, e);
            }
        }
        verify(file, m, part, have, digest);
    }

    private int onFailure(String file, long have, long size, int failures, IOException io, HubException hub) {
        Exception cause = io != null ? io : hub;
        if (failures >= retries) {
            String at = size >= 0 ? have + " of " + size + " bytes" : have + " bytes";
            String why = io != null
                    ? io.getClass().getSimpleName() + (io.getMessage() != null ? ": " + io.getMessage() : "")
                    : hub.getMessage();
            throw new HubException(
                    HubException.Reason.INTERRUPTED,
                    "download of " + file + " interrupted at " + at + " (" + why
                            + "); run the same command again to resume",
                    cause);
        }
        listener.onRetry(file, have, cause);
        try {
            Thread.sleep(retryDelay.toMillis() * (failures + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(HubException.Reason.INTERRUPTED, "download of " + file + " cancelled", e);
        }
        return failures + 1;
    }

    private long copy(
            InputStream in, Path part, boolean append, long have, String file, long size, MessageDigest digest)
            throws IOException {
        StandardOpenOption mode = append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
        try (in;
                FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
            byte[] buf = new byte[BUFFER];
            int n;
            while ((n = in.read(buf)) > 0) {
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) out.write(bb);
                if (digest != null) digest.update(buf, 0, n);
                have += n;
                if (size >= 0 && have > size) {
                    throw new HubException(
                            HubException.Reason.CHECKSUM,
                            deleted(part, file + ": the server sent more than the " + size + " bytes announced"));
                }
                listener.onProgress(file, have, size);
            }
        }
        return have;
    }

    private void verify(String file, FileMetadata m, Path part, long have, MessageDigest digest) throws IOException {
        if (!Files.exists(part)) Files.createFile(part); // an empty file gets no body to write
        if (m.size() >= 0 && have != m.size()) {
            throw new HubException(
                    HubException.Reason.CHECKSUM,
                    deleted(part, file + ": got " + have + " bytes, expected " + m.size()));
        }
        if (digest == null) return;
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(m.etag())) {
            String kind = m.isSha256() ? "sha256" : "git blob id";
            throw new HubException(
                    HubException.Reason.CHECKSUM,
                    deleted(
                            part,
                            "checksum mismatch for " + file + ": expected " + kind + " " + m.etag() + ", got "
                                    + actual));
        }
    }

    private static String deleted(Path part, String message) {
        try {
            Files.deleteIfExists(part);
            return message + "; the damaged download was deleted, run again to fetch it anew";
        } catch (IOException e) {
            return message + "; could not delete " + part + " (" + e.getMessage() + "), delete it by hand";
        }
    }

    private static MessageDigest newDigest(FileMetadata m) {
        try {
            if (m.isSha256()) return MessageDigest.getInstance("SHA-256");
            if (m.isGitBlobId()) {
                MessageDigest d = MessageDigest.getInstance("SHA-1");
                d.update(("blob " + m.size() + "\0").getBytes(StandardCharsets.US_ASCII));
                return d;
            }
            return null; // an ETag of another kind (a mirror's): only the size is checked
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void hashPrefix(Path part, MessageDigest digest) throws IOException {
        if (digest == null) return;
        try (InputStream in = Files.newInputStream(part)) {
            byte[] buf = new byte[BUFFER];
            int n;
            while ((n = in.read(buf)) > 0) digest.update(buf, 0, n);
        }
    }

    private static long rangeStart(HubClient.Response r) {
        String cr = r.header("Content-Range");
        if (cr == null) return -1;
        Matcher m = CONTENT_RANGE.matcher(cr.strip());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Points the snapshot entry at its blob with a relative link, as huggingface_hub does (a moved cache keeps working). */
    private static void link(Path pointer, Path blob) {
        try {
            Files.createDirectories(pointer.getParent());
            Path target = pointer.getParent().relativize(blob.toAbsolutePath().normalize());
            if (Files.isSymbolicLink(pointer)) {
                if (Files.readSymbolicLink(pointer).equals(target)) return;
                Files.delete(pointer);
            } else if (Files.exists(pointer, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(pointer);
            }
            try {
                Files.createSymbolicLink(pointer, target);
            } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
                // No symlinks here (a file system without them, Windows without the privilege): a copy, as
                // huggingface_hub falls back to. Other link failures are real errors.
                boolean windows = System.getProperty("os.name", "").startsWith("Windows");
                if (e instanceof java.nio.file.FileSystemException && !windows) throw (IOException) e;
                Files.copy(blob, pointer);
            }
        } catch (IOException e) {
            throw new HubException(
                    HubException.Reason.LOCAL_IO, "cannot link " + pointer + " to " + blob + ": " + e.getMessage(), e);
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    private static String summary(List<String> files) {
        if (files.isEmpty()) return "no files";
        List<String> head = files.subList(0, Math.min(12, files.size()));
        return String.join(", ", head) + (files.size() > head.size() ? ", ... (" + files.size() + " files)" : "");
    }

    /** Builds a {@link HubDownloader}. */
    public static final class Builder {
        private HubConfig config = HubConfig.fromEnvironment();
        private HttpClient http;
        private DownloadListener listener = DownloadListener.NONE;
        private int retries = 3;
        private Duration retryDelay = Duration.ofSeconds(1);

        public Builder config(HubConfig config) {
            this.config = java.util.Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * The HTTP client to use (a proxy, an executor); its redirects must be off ({@code Redirect.NEVER}, the
         * default): the downloader follows them itself, so that the Hub token never leaves for the CDN.
         */
        public Builder http(HttpClient http) {
            this.http = http;
            return this;
        }

        public Builder listener(DownloadListener listener) {
            this.listener = listener == null ? DownloadListener.NONE : listener;
            return this;
        }

        /** How often a broken connection is resumed within one run before giving up (default 3). */
        public Builder retries(int retries) {
            if (retries < 0) throw new IllegalArgumentException("retries must be >= 0, got " + retries);
            this.retries = retries;
            return this;
        }

        /** Pause before the first retry, growing linearly (default 1 s). */
        public Builder retryDelay(Duration retryDelay) {
            this.retryDelay = java.util.Objects.requireNonNull(retryDelay, "retryDelay");
            return this;
        }

        public HubDownloader build() {
            return new HubDownloader(this);
        }
    }
}
