package dev.gptoss4j.agent.hub;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns what a user gives as the model into a path the engine loads, offline first:
 *
 * <ol>
 *   <li>an existing file or folder is used as it is (a {@code .gguf} file, a checkpoint folder);</li>
 *   <li>an Ollama name ({@code gpt-oss:20b}) is looked up in the Ollama store, and for gpt-oss falls back to the
 *       matching Hugging Face repository;</li>
 *   <li>a Hugging Face repo id ({@code openai/gpt-oss-20b}, optionally {@code @revision}) is served from a
 *       complete snapshot in the hub cache without touching the network, else from an Ollama store holding the
 *       same model, else downloaded into the hub cache.</li>
 * </ol>
 *
 * When nothing local fits and the Hub cannot be reached, the error says the three ways forward.
 */
public final class ModelResolver {

    /** The model used when none is named. */
    public static final String DEFAULT_MODEL = "openai/gpt-oss-20b";

    // The same weights under Ollama's and Hugging Face's names.
    private static final Map<String, String> HF_TO_OLLAMA = Map.of(
            "openai/gpt-oss-20b", "gpt-oss:20b",
            "openai/gpt-oss-120b", "gpt-oss:120b");
    private static final Map<String, String> OLLAMA_TO_HF = Map.of(
            "gpt-oss:20b", "openai/gpt-oss-20b",
            "gpt-oss:latest", "openai/gpt-oss-20b",
            "gpt-oss:120b", "openai/gpt-oss-120b");

    private final HubConfig config;
    private final HubCache cache;
    private final OllamaStore ollama;
    private final HubDownloader downloader;
    private final FileSelection selection;
    private final boolean download;
    private final DownloadApproval approval;

    private ModelResolver(Builder b) {
        this.config = b.config;
        this.cache = new HubCache(b.config.cacheDir());
        this.ollama = new OllamaStore(b.config.ollamaModels());
        HubDownloader.Builder d = HubDownloader.builder()
                .config(b.config)
                .listener(b.listener)
                .http(b.http)
                .retries(b.retries);
        if (b.retryDelay != null) d.retryDelay(b.retryDelay);
        this.downloader = d.build();
        this.selection = b.selection;
        this.download = b.download;
        this.approval = b.approval;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A resolver configured from the environment (HF_HOME, HF_HUB_CACHE, HF_TOKEN, HF_ENDPOINT, OLLAMA_MODELS). */
    public static ModelResolver fromEnvironment() {
        return builder().build();
    }

    public HubConfig config() {
        return config;
    }

    public HubDownloader downloader() {
        return downloader;
    }

    /**
     * The path to load for {@code spec} (null or blank: {@link #DEFAULT_MODEL}), downloading when allowed and
     * needed.
     *
     * @throws HubException             when the model cannot be found or fetched (one-line message)
     * @throws IllegalArgumentException when {@code spec} is neither a path, a repo id nor an Ollama name
     */
    public Path resolve(String spec) {
        Lookup local = lookUp(spec);
        if (local.path().isPresent()) return local.path().get();
        RepoId id = local.repo();
        if (!download) throw noModel(id, null);
        if (config.offline()) throw noModel(id, "HF_HUB_OFFLINE is set");
        Snapshot snapshot = download(id, selection);
        return HubCache.modelIn(snapshot.path())
                .orElseThrow(() -> new HubException(
                        HubException.Reason.NOT_FOUND,
                        id + " downloaded to " + snapshot.path() + " holds no loadable model (config.json with its "
                                + "*.safetensors, or one .gguf file)"));
    }

    /**
     * The path for {@code spec} from what is on this machine only: an existing path, a complete cached snapshot, an
     * Ollama store entry. Never touches the network.
     *
     * @throws HubException             when {@code spec} names a file or Ollama model that is not there
     * @throws IllegalArgumentException when {@code spec} is neither a path, a repo id nor an Ollama name
     */
    public Optional<Path> findLocal(String spec) {
        return lookUp(spec).path();
    }

    /** What is on disk for {@code spec}, and the Hub repository to fetch it from otherwise. */
    private record Lookup(Optional<Path> path, RepoId repo) {}

    private Lookup lookUp(String spec) {
        String s = spec == null || spec.isBlank() ? DEFAULT_MODEL : spec.strip();
        Path path = existing(s);
        if (path != null) return new Lookup(Optional.of(path), null);
        if (looksLikePath(s)) {
            throw new HubException(HubException.Reason.NOT_FOUND, "model file or folder " + s + " not found");
        }
        if (OllamaStore.looksLikeName(s)) {
            Optional<Path> blob = ollama.find(s);
            if (blob.isPresent()) return new Lookup(blob, null);
            String hf = OLLAMA_TO_HF.get(s.toLowerCase(Locale.ROOT));
            if (hf == null) {
                throw new HubException(
                        HubException.Reason.NOT_FOUND,
                        "Ollama model " + s + " is not in the Ollama store (" + storeList()
                                + "): pull it with `ollama pull " + s + "`, or set OLLAMA_MODELS to the store");
            }
            s = hf;
        }
        RepoId id = RepoId.parse(hubName(s));
        Optional<Path> cached = cache.completeModel(id);
        if (cached.isPresent()) return new Lookup(cached, id);
        String alias = HF_TO_OLLAMA.get(id.repo().toLowerCase(Locale.ROOT));
        if (alias != null && id.revision().equals(RepoId.DEFAULT_REVISION)) return new Lookup(ollama.find(alias), id);
        return new Lookup(Optional.empty(), id);
    }

    /**
     * The snapshot for {@code id} with {@code files} (network needed, cached blobs are not fetched again), once the
     * {@link Builder#approval approval} agreed to it.
     */
    public Snapshot download(RepoId id, FileSelection files) {
        try {
            DownloadPlan plan = downloader.plan(id, files);
            if (!approval.approve(plan)) {
                throw new HubException(
                        HubException.Reason.DECLINED,
                        "not downloading " + id + " (declined); pass "
                                + "--model PATH (a .gguf file or a checkpoint folder), or use a running server with "
                                + "--base-url URL");
            }
            return downloader.download(plan);
        } catch (HubException e) {
            if (e.reason() == HubException.Reason.OFFLINE) throw noModel(id, e.getMessage(), e);
            throw e;
        }
    }

    private static String hubName(String s) {
        if (!RepoId.looksLikeRepoId(s)) {
            throw new IllegalArgumentException("'" + s + "' is not an existing file or folder, a Hugging Face repo id "
                    + "(owner/name[@revision], e.g. " + DEFAULT_MODEL + ") or an Ollama model name (e.g. gpt-oss:20b)");
        }
        return s;
    }

    private HubException noModel(RepoId id, String why) {
        return noModel(id, why, null);
    }

    private HubException noModel(RepoId id, String why, Throwable cause) {
        String where = "Hugging Face cache " + config.cacheDir()
                + (config.ollamaModels().isEmpty() ? "" : ", Ollama store " + storeList());
        return new HubException(
                HubException.Reason.OFFLINE,
                "no local copy of " + id + " (" + where + ")"
                        + (why != null ? " and " + why : "") + ": run `gptoss download " + id
                        + "` while online, pass --model PATH (a .gguf file or a "
                        + "checkpoint folder), or use a running server with --base-url URL",
                cause);
    }

    private String storeList() {
        return config.ollamaModels().stream()
                .map(Path::toString)
                .reduce((a, b) -> a + " or " + b)
                .orElse("none");
    }

    private static Path existing(String s) {
        try {
            Path p = s.equals("~") || s.startsWith("~/")
                    ? Path.of(System.getProperty("user.home")).resolve(s.length() > 2 ? s.substring(2) : "")
                    : Path.of(s);
            return Files.exists(p) ? p : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static boolean looksLikePath(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        return s.startsWith("/")
                || s.startsWith("./")
                || s.startsWith("../")
                || s.startsWith("~")
                || s.equals(".")
                || s.contains("\\")
                || s.matches("[A-Za-z]:[/\\\\].*")
                || lower.endsWith(".gguf")
                || lower.endsWith(".safetensors")
                || lower.endsWith(".json");
    }

    /** Builds a {@link ModelResolver}. */
    public static final class Builder {
        private HubConfig config = HubConfig.fromEnvironment();
        private DownloadListener listener = DownloadListener.NONE;
        private HttpClient http;
        private FileSelection selection = FileSelection.defaults();
        private boolean download = true;
        private DownloadApproval approval = DownloadApproval.ALWAYS;
        private int retries = 3;
        private Duration retryDelay;

        public Builder config(HubConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Hears downloads (a progress display, say). */
        public Builder listener(DownloadListener listener) {
            this.listener = listener == null ? DownloadListener.NONE : listener;
            return this;
        }

        public Builder http(HttpClient http) {
            this.http = http;
            return this;
        }

        /** The files a download fetches (default: {@link FileSelection#defaults()}). */
        public Builder files(FileSelection selection) {
            this.selection = Objects.requireNonNull(selection, "selection");
            return this;
        }

        /** Whether {@link #resolve} may download (default true); false keeps it to what is on disk. */
        public Builder download(boolean download) {
            this.download = download;
            return this;
        }

        /**
         * Asked before {@link #resolve} downloads, with the files and sizes known (default: {@link
         * DownloadApproval#ALWAYS}); a command-line app asks its user here.
         */
        public Builder approval(DownloadApproval approval) {
            this.approval = Objects.requireNonNull(approval, "approval");
            return this;
        }

        public Builder retries(int retries) {
            this.retries = retries;
            return this;
        }

        public Builder retryDelay(Duration retryDelay) {
            this.retryDelay = retryDelay;
            return this;
        }

        public ModelResolver build() {
            return new ModelResolver(this);
        }
    }
}
