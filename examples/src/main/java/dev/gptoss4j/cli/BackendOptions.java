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
 * Where completions come from, the same for {@code run}, {@code chat} and {@code serve}: {@code --model MODEL} (the
 * local engine, the model resolved as everywhere else) or {@code --backend replay:FILE} (recorded completions).
 */
final class BackendOptions {

    /** gpt-oss's recommended sampling: temperature 1, no truncation. */
    static final SamplerConfig SAMPLING = SamplerConfig.builder().temperature(1f).build();

    @Option(names = "--model", paramLabel = "MODEL", description = Models.MODEL_HELP)
    String model;

    @Option(names = "--backend", paramLabel = "KIND:ARG",
            description = "Where completions come from instead of a model: replay:FILE replays recorded "
                    + "completions in order (tests, demos).")
    String backend;

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads of the local engine (default: all processors).")
    int threads;

    @Option(names = "--kv-type", paramLabel = "TYPE",
            description = "Key/value cache numbers of the local engine: f32, bf16 or f16 (default: f32 where the "
                    + "context's cache fits in a quarter of RAM, else f16).")
    String kvType;

    @Option(names = "--replay-delay", paramLabel = "MS",
            description = "With --backend replay:FILE, wait this long before each token, as a slow model would.")
    long replayDelayMs;

    /** The backend: the local engine, a replay, or (when {@code remote} names a server) that server. */
    Backend open(CommandLine.Model.CommandSpec spec, RemoteOptions remote) {
        if (remote != null && remote.remote()) {
            if (backend != null) throw new IllegalArgumentException("give --base-url or --backend, not both");
            return remote.backend(model);
        }
        checkOne(remote != null);
        if (model != null) return LocalEngineBackend.load(modelPath(spec), SAMPLING, sessionOptions(0));
        return replay();
    }

    /** Whether the local engine runs {@code --model} (as opposed to a replay), for commands without remotes. */
    boolean local() {
        checkOne(false);
        return model != null;
    }

    /** Session settings of the local engine: {@code --threads}, and a context length (0: the default). */
    SessionOptions sessionOptions(int maxContext) {
        if (threads < 0) throw new IllegalArgumentException("--threads must be 0 (all processors) or more, got " + threads);
        return SessionOptions.builder().threads(threads).maxContext(maxContext)
                .kvType(kvType == null ? null : KvType.parse(kvType)).build();
    }

    /** The weights {@code --model} names, downloaded first when it is a Hugging Face repo id. */
    Path modelPath(CommandLine.Model.CommandSpec spec) {
        return Models.resolve(model, spec);
    }

    Backend replay() {
        if (!backend.startsWith("replay:")) {
            throw new IllegalArgumentException("--backend: unknown backend '" + backend + "' (expected replay:FILE)");
        }
        Path file = Path.of(backend.substring("replay:".length()));
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("--backend: replay file " + file + " not found");
        if (replayDelayMs < 0) throw new IllegalArgumentException("--replay-delay must be 0 or more, got " + replayDelayMs);
        ReplayBackend replay = ReplayBackend.fromFile(file);
        return replayDelayMs == 0 ? replay : new SlowBackend(replay, replayDelayMs);
    }

    private void checkOne(boolean remoteOffered) {
        if (model != null && backend != null) throw new IllegalArgumentException("give --model or --backend, not both");
        if (model == null && backend == null) {
            throw new IllegalArgumentException("no model: give --model MODEL (a path, a Hugging Face repo id such as "
                    + "openai/gpt-oss-20b, fetched once with `gptoss download`, or gpt-oss:20b from Ollama), "
                    + (remoteOffered ? "--base-url URL of a server, " : "") + "or --backend replay:FILE");
        }
    }
}
