package dev.gptoss4j.engine.model;

import dev.gptoss4j.engine.model.io.ModelFormatException;
import dev.gptoss4j.engine.model.safetensors.SafetensorsCheckpoint;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a gpt-oss model from a GGUF file or a checkpoint directory, detecting the layout: GGUF by its magic
 * bytes; a directory by its tensor names ({@code block.N.*} for openai/gpt-oss's own layout,
 * {@code model.layers.N.*} for Hugging Face).
 */
public final class ModelLoader {

    private ModelLoader() {}

    public static LoadedModel load(Path path) {
        if (!Files.exists(path)) throw new ModelFormatException(path + ": no such file or directory");
        Arena arena = Arena.ofShared();
        try {
            if (Files.isDirectory(path)) return loadDirectory(path, arena);
            if (isGguf(path)) return GgufLoader.load(path, arena);
            if (path.getFileName().toString().endsWith(".safetensors") && path.getParent() != null) {
                return loadDirectory(path.getParent(), arena);
            }
            throw new ModelFormatException(path + ": not a GGUF file (no \"GGUF\" magic) and not a checkpoint "
                    + "directory with config.json and *.safetensors");
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static LoadedModel loadDirectory(Path dir, Arena arena) {
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            throw new ModelFormatException(dir + ": missing config.json (expected a gpt-oss checkpoint directory)");
        }
        SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(dir, arena);
        ModelLayout layout;
        if (ckpt.contains("embedding.weight") || ckpt.contains("block.0.attn.qkv.weight")) {
            layout = ModelLayout.ORIGINAL;
        } else if (ckpt.contains("model.embed_tokens.weight")
                || ckpt.contains("model.layers.0.self_attn.q_proj.weight")) {
            layout = ModelLayout.HUGGING_FACE;
        } else {
            throw new ModelFormatException(dir + ": missing tensor embedding.weight (openai/gpt-oss layout) or "
                    + "model.embed_tokens.weight (Hugging Face layout): not a gpt-oss checkpoint");
        }
        return CheckpointLoader.load(dir, layout, ckpt, arena);
    }

    private static boolean isGguf(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'G' && magic[1] == 'G' && magic[2] == 'U' && magic[3] == 'F';
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
