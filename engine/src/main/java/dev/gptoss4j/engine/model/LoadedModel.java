package dev.gptoss4j.engine.model;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;

/**
 * A model read from disk: its hyper-parameters, its weights (mapped in {@code arena}), and the vocabulary the
 * file carries, if any (GGUF token strings; empty for safetensors checkpoints). Closing it unmaps the files;
 * the weights must not be used afterwards.
 */
public record LoadedModel(
        Path source,
        ModelLayout layout,
        GptOssConfig config,
        ModelWeights weights,
        List<String> vocabulary,
        Arena arena)
        implements AutoCloseable {

    public LoadedModel {
        vocabulary = List.copyOf(vocabulary);
    }

    @Override
    public void close() {
        arena.close();
    }
}
