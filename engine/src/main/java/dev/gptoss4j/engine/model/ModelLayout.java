package dev.gptoss4j.engine.model;

/** The on-disk layouts a gpt-oss model comes in. */
public enum ModelLayout {
    /** openai/gpt-oss's own checkpoint ({@code original/}): config.json + safetensors with {@code block.N.*} names. */
    ORIGINAL,
    /** Hugging Face transformers: config.json + safetensors (maybe sharded) with {@code model.layers.N.*} names. */
    HUGGING_FACE,
    /** A GGUF file as llama.cpp's converter (or Ollama) writes it, architecture {@code gpt-oss}. */
    GGUF
}
