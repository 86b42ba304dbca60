package dev.gptoss4j.cli;

import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.agent.backend.LocalEngineBackend;
import dev.gptoss4j.agent.backend.ReplayBackend;
import dev.gptoss4j.engine.SessionOptions;
import dev.gptoss4j.engine.kernels.KvType;
import dev.gptoss4j.engine.sampling.SamplerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Where completions come from, the same for {@code run}, {@code chat} and {@code serve}: the local engine (the model
 * of {@code --model}, else the configured or default one, see {@link Models}) or {@code --backend replay:FILE}
 * (recorded completions).
 */
final class BackendOptions {

    /** gpt-oss's recommended sampling: temperature 1, no truncation. */
    static final SamplerConfig SAMPLING =
            SamplerConfig.builder().temperature(1f).build();

    @CommandLine.Mixin
    ModelOption model = new ModelOption();

    @Option(
            names = "--backend",
            paramLabel = "KIND:ARG",
            description = "Where completions come from instead of a model: replay:FILE replays recorded "
                    + "completions in order (tests, demos).")
    String backend;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "Worker threads of the local engine (default: all processors).")
    int threads;

    @Option(
            names = "--kv-type",
            paramLabel = "TYPE",
            description = "Key/value cache numbers of the local engine: f32, bf16 or f16 (default: f32 where the "
                    + "context's cache fits in a quarter of RAM, else f16).")
    String kvType;

    @Option(
            names = "--replay-delay",
            paramLabel = "MS",
            description = "With --backend replay:FILE, wait this long before each token, as a slow model would.")
    long replayDelayMs;

    /** The backend: the local engine, a replay, or (when {@code remote} names a server) that server. */
    Backend open(CommandLine.Model.CommandSpec spec, RemoteOptions remote) {
        if (remote != null && remote.remote()) {
            if (backend != null) throw new IllegalArgumentException("give --base-url or --backend, not both");
            return remote.backend(model.model);
        }
        if (!local()) return replay();
        Path path = modelPath(spec);
        long start = System.nanoTime();
        Backend loaded = LocalEngineBackend.load(path, SAMPLING, sessionOptions(0));
        spec.commandLine()
                .getErr()
                .printf(
                        java.util.Locale.ROOT,
                        "%s: loaded in %.1f s%n",
                        spec.qualifiedName(),
                        (System.nanoTime() - start) / 1e9);
        spec.commandLine().getErr().flush();
        return loaded;
    }

    /**
     * Whether the local engine runs (the model of {@code --model}, {@code GPTOSS_MODEL}, the config file or the
     * default) as opposed to a replay.
     */
    boolean local() {
        if (model.given() && backend != null) throw new IllegalArgumentException("give --model or --backend, not both");
        return backend == null;
    }

    /** Whether none of {@code --model}, {@code --backend} was given. */
    boolean unset() {
        return !model.given() && backend == null;
    }

    /** Session settings of the local engine: {@code --threads}, and a context length (0: the default). */
    SessionOptions sessionOptions(int maxContext) {
        if (threads < 0)
            throw new IllegalArgumentException("--threads must be 0 (all processors) or more, got " + threads);
        return SessionOptions.builder()
                .threads(threads)
                .maxContext(maxContext)
                .kvType(kvType == null ? null : KvType.parse(kvType))
                .build();
    }

    /** The weights of the local model, found or downloaded (see {@link Models}). */
    Path modelPath(CommandLine.Model.CommandSpec spec) {
        return model.resolve(spec);
    }

    Backend replay() {
        if (!backend.startsWith("replay:")) {
            throw new IllegalArgumentException("--backend: unknown backend '" + backend + "' (expected replay:FILE)");
        }
        Path file = Path.of(backend.substring("replay:".length()));
        if (!Files.isRegularFile(file))
            throw new IllegalArgumentException("--backend: replay file " + file + " not found");
        if (replayDelayMs < 0)
            throw new IllegalArgumentException("--replay-delay must be 0 or more, got " + replayDelayMs);
        ReplayBackend replay = ReplayBackend.fromFile(file);
        return replayDelayMs == 0 ? replay : new SlowBackend(replay, replayDelayMs);
    }
}
