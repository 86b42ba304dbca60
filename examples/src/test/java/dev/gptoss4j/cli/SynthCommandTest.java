package dev.gptoss4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthCommandTest {

    @TempDir
    Path dir;

    Path config;
    String out;
    String err;

    /** A small gpt-oss config.json (4 layers, hidden 128, vocab 512) so the command runs in well under a second. */
    @BeforeEach
    void smallConfig() throws IOException {
        config = dir.resolve("config.json");
        Files.writeString(config, """
                {"num_hidden_layers": 4, "num_local_experts": 8, "num_experts_per_tok": 4, "vocab_size": 512,
                 "hidden_size": 128, "intermediate_size": 64, "head_dim": 32, "num_attention_heads": 8,
                 "num_key_value_heads": 2, "sliding_window": 8, "max_position_embeddings": 131072,
                 "rope_theta": 150000.0, "rope_scaling": {"beta_fast": 32.0, "beta_slow": 1.0, "factor": 32.0,
                 "rope_type": "yarn", "original_max_position_embeddings": 4096}, "swiglu_limit": 7.0}
                """);
    }

    private int run(String... args) {
        CliRun.Outcome o = CliRun.run(args);
        out = o.out();
        err = o.err();
        return o.code();
    }

    @Test
    void writesAGgufFileDeterministically() throws IOException {
        Path a = dir.resolve("a.gguf"), b = dir.resolve("b.gguf");
        assertEquals(
                0,
                run("synth", "--config", config.toString(), "--seed", "3", "--layers", "2", "--out", a.toString()),
                err);
        assertEquals(a.toString(), out.trim());
        assertTrue(err.contains("done:"), err);
        assertEquals(
                0,
                run(
                        "synth",
                        "--config",
                        config.toString(),
                        "--seed",
                        "3",
                        "--layers",
                        "2",
                        "--threads",
                        "1",
                        "--out",
                        b.toString()));
        assertEquals(-1, Files.mismatch(a, b));
        try (InputStream in = Files.newInputStream(a)) {
            assertArrayEquals("GGUF".getBytes(StandardCharsets.US_ASCII), in.readNBytes(4));
        }
        assertTrue(Files.readString(a, StandardCharsets.ISO_8859_1).contains("gpt-oss.block_count"));
    }

    @Test
    void writesAHuggingFaceDirectory() throws IOException {
        Path hf = dir.resolve("hf");
        assertEquals(
                0,
                run(
                        "synth",
                        "--config",
                        config.toString(),
                        "--format",
                        "hf",
                        "--shard-size",
                        "400KB",
                        "--out",
                        hf.toString()),
                err);
        String[] listed = out.trim().split("\\R");
        assertTrue(
                Arrays.asList(listed)
                        .contains(hf.resolve("model.safetensors.index.json").toString()),
                out);
        assertTrue(Files.readString(hf.resolve("config.json")).contains("\"quant_method\" : \"mxfp4\""));
        assertTrue(
                Files.exists(hf.resolve("model-00001-of-00004.safetensors")),
                Arrays.toString(hf.toFile().list()));
    }

    @Test
    void badOptionsFailWithOneClearLine() {
        assertEquals(
                1,
                run(
                        "synth",
                        "--config",
                        config.toString(),
                        "--dtype",
                        "q4_0",
                        "--out",
                        dir.resolve("x.gguf").toString()));
        assertTrue(err.contains("--dtype q4_0: expected f32, f16, bf16 or q8_0"), err);

        assertEquals(
                1,
                run(
                        "synth",
                        "--config",
                        config.toString(),
                        "--format",
                        "hf",
                        "--dtype",
                        "f32",
                        "--out",
                        dir.resolve("h").toString()));
        assertTrue(err.contains("--dtype applies to --format gguf only"), err);

        assertEquals(
                1,
                run("synth", "--config", "nope", "--out", dir.resolve("y.gguf").toString()));
        assertTrue(err.contains("not a preset (20b, 120b, tiny) and no such file"), err);

        assertEquals(
                1,
                run(
                        "synth",
                        "--config",
                        config.toString(),
                        "--out",
                        dir.resolve("missing/dir/z.gguf").toString()));
        assertTrue(err.contains("does not exist"), err);

        assertEquals(2, run("synth", "--config", config.toString(), "--format", "onnx", "--out", "x"));
    }
}
