package dev.gptoss4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.agent.hub.DownloadListener;
import dev.gptoss4j.agent.hub.FileSelection;
import dev.gptoss4j.agent.hub.HubCache;
import dev.gptoss4j.agent.hub.HubConfig;
import dev.gptoss4j.agent.hub.HubException;
import dev.gptoss4j.agent.hub.ModelResolver;
import dev.gptoss4j.agent.hub.OllamaStore;
import dev.gptoss4j.agent.hub.RepoId;
import dev.gptoss4j.agent.hub.Snapshot;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gptoss download}: fetches a model repository into the Hugging Face cache and prints where it is. */
@Command(
        name = "download",
        mixinStandardHelpOptions = true,
        description = {
            "Download a model from the Hugging Face Hub into the Hugging Face cache (resumable, checksums "
                    + "verified) and print its local path.",
            "Honours HF_HOME, HF_HUB_CACHE, HF_TOKEN, HF_ENDPOINT and HF_HUB_OFFLINE."
        })
final class DownloadCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(
            arity = "0..1",
            paramLabel = "REPO",
            description = "owner/name[@revision] (default: " + ModelResolver.DEFAULT_MODEL + ").")
    String repo;

    @Option(names = "--revision", paramLabel = "R", description = "Branch, tag or commit (default: main).")
    String revision;

    @Option(
            names = "--include",
            paramLabel = "GLOB",
            split = ",",
            description = "Also fetch files matching GLOB, e.g. 'original/*' or 'metal/' (default: the Hugging Face "
                    + "checkpoint: *.json, *.safetensors, *.jinja at the top level).")
    List<String> include = new ArrayList<>();

    @Option(
            names = "--cache-dir",
            paramLabel = "DIR",
            description = "Hub cache folder (default: $HF_HUB_CACHE or $HF_HOME/hub).")
    Path cacheDir;

    @Option(
            names = "--endpoint",
            paramLabel = "URL",
            description = "Hub URL (default: $HF_ENDPOINT or https://huggingface.co).")
    String endpoint;

    @Option(names = "--json", description = "Print JSON: repo, revision, commit, path, model, files.")
    boolean json;

    @Option(names = "--progress", description = "Show the progress bar even when stderr is not a terminal.")
    boolean progress;

    @Override
    public Integer call() throws Exception {
        RepoId id = repoId();
        CliEnvironment env = CliEnvironment.of(spec);
        HubConfig config = env.hubConfig();
        if (cacheDir != null) config = config.withCacheDir(cacheDir);
        if (endpoint != null) config = config.withEndpoint(endpoint);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DownloadListener listener = Models.progress(err, progress);
        ModelResolver resolver = ModelResolver.builder()
                .config(config)
                .listener(listener)
                .approval(plan -> {
                    ResourceCheck.disk(plan, env); // asking for a download is the yes; the disk must still hold it
                    return true;
                })
                .build();
        Snapshot snapshot;
        try {
            snapshot = resolver.download(id, FileSelection.defaultsPlus(include));
        } catch (HubException e) {
            if (listener instanceof ProgressBar bar) bar.clear();
            Optional<Snapshot> cached =
                    e.reason() == HubException.Reason.OFFLINE ? cached(config, id) : Optional.empty();
            if (cached.isEmpty()) throw e;
            err.println("gptoss download: the Hub is not reachable; " + id + " is complete in the cache");
            snapshot = cached.get();
        }
        out.println(json ? json(snapshot) : snapshot.path().toString());
        out.flush();
        return 0;
    }

    private RepoId repoId() {
        String name = repo == null ? ModelResolver.DEFAULT_MODEL : repo.strip();
        if (OllamaStore.looksLikeName(name)) {
            throw new IllegalArgumentException("'" + name + "' is an Ollama name: fetch it with `ollama pull " + name
                    + "` (gptoss finds it there), or download a Hugging Face repo such as "
                    + ModelResolver.DEFAULT_MODEL);
        }
        RepoId id = RepoId.parse(name);
        if (revision != null) {
            if (name.contains("@") && !id.revision().equals(revision)) {
                throw new IllegalArgumentException("two revisions given: " + name + " and --revision " + revision);
            }
            id = new RepoId(id.repo(), revision);
        }
        return id;
    }

    /** The cached snapshot of {@code id} when it is complete, listed from disk. */
    private static Optional<Snapshot> cached(HubConfig config, RepoId id) throws IOException {
        HubCache cache = new HubCache(config.cacheDir());
        Optional<String> commit = cache.commitOf(id);
        if (commit.isEmpty() || cache.completeModel(id).isEmpty()) return Optional.empty();
        Path dir = cache.snapshotDir(id, commit.get());
        List<Snapshot.SnapshotFile> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                files.add(new Snapshot.SnapshotFile(
                        dir.relativize(p).toString().replace('\\', '/'), Files.size(p), p, false));
            }
        }
        return Optional.of(new Snapshot(id, commit.get(), dir, files));
    }

    static String json(Snapshot s) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("repo", s.repo().repo());
        root.put("revision", s.repo().revision());
        root.put("commit", s.commit());
        root.put("path", s.path().toString());
        Optional<Path> model = HubCache.modelIn(s.path());
        if (model.isPresent()) root.put("model", model.get().toString());
        else root.putNull("model");
        ArrayNode files = root.putArray("files");
        for (Snapshot.SnapshotFile f : s.files()) {
            ObjectNode n = files.addObject();
            n.put("name", f.name());
            n.put("size", f.size());
            n.put("path", f.path().toString());
            n.put("downloaded", f.downloaded());
        }
        return mapper.writeValueAsString(root);
    }
}
