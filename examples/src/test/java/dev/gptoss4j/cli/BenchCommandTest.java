package dev.gptoss4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code gptoss bench} on the tiny model: every figure present and plausible, speculation output unchanged. */
class BenchCommandTest {

    @Test
    void printsEveryFigureAsJson() throws Exception {
        CliRun.Outcome r = CliRun.run(
                "bench",
                "--model",
                EngineCommandsTest.TINY.resolve("tiny-bf16.gguf").toString(),
                "--prompt-tokens",
                "40",
                "--gen-tokens",
                "8",
                "--threads",
                "2",
                "--bandwidth-mb",
                "16",
                "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        for (String key : new String[] {
            "prefill_tokens_per_s",
            "decode_tokens_per_s",
            "ttft_ms",
            "second_turn_ttft_ms",
            "speculative_decode_tokens_per_s",
            "peak_rss_mb",
            "bandwidth_gb_s",
            "decode_ceiling_tokens_per_s"
        }) {
            assertTrue(j.get(key).asDouble() > 0, key + " in " + r.out());
        }
        assertEquals(2, j.get("threads").asInt());
        assertEquals(40, j.get("prompt_tokens").asInt());
        assertTrue(j.get("speculative_identical_output").asBoolean());
        assertTrue(j.get("bytes_per_token_mb").asDouble() > 0.5, "tiny model reads about 1 MB per token");
        // the kernels' width and tiling, as this JVM chose them
        assertEquals(
                dev.gptoss4j.engine.kernels.KernelChoice.vectorBits(),
                j.get("vector_bits").asInt());
        assertEquals(
                dev.gptoss4j.engine.kernels.KernelChoice.species(),
                j.get("species").asText());
        assertEquals(
                dev.gptoss4j.engine.kernels.KernelChoice.tiling(),
                j.get("tiling").asText());
        assertTrue(j.get("physical_cores").asInt() >= 1, r.out());
        for (String phase : new String[] {
            "loading " + EngineCommandsTest.TINY.resolve("tiny-bf16.gguf"),
            "warming up",
            "prefill 40 tokens, decode 8",
            "second agent turn",
            "plain and speculative decoding",
            "memory bandwidth (16 MiB)"
        }) {
            assertTrue(r.err().contains("gptoss bench: " + phase), "each phase is announced on stderr: " + r.err());
        }
    }

    @Test
    void concurrencyMeasuresStreamsThroughTheScheduler() throws Exception {
        CliRun.Outcome r = CliRun.run(
                "bench",
                "--model",
                EngineCommandsTest.TINY.resolve("tiny-bf16.gguf").toString(),
                "--prompt-tokens",
                "20",
                "--gen-tokens",
                "6",
                "--threads",
                "2",
                "--concurrency",
                "3",
                "--kv-type",
                "f16",
                "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        for (String key : new String[] {
            "aggregate_tokens_per_s",
            "single_stream_tokens_per_s",
            "ttft_ms_p50",
            "inter_token_ms_p50",
            "inter_token_ms_p99",
            "shared_prefix_cold_ttft_ms",
            "shared_prefix_second_ttft_ms"
        }) {
            assertTrue(j.get(key).asDouble() > 0, key + " in " + r.out());
        }
        assertEquals(3, j.get("concurrency").asInt());
        assertTrue(j.get("scheduler_mean_batch").asDouble() > 1, "streams were batched: " + r.out());
    }

    @Test
    void prefillDecodeOnlySkipsTheAgentPhases() throws Exception {
        CliRun.Outcome r = CliRun.run(
                "bench",
                "--model",
                EngineCommandsTest.TINY.resolve("tiny-bf16.gguf").toString(),
                "--prompt-tokens",
                "16",
                "--gen-tokens",
                "4",
                "--threads",
                "1",
                "--bandwidth-mb",
                "16",
                "--prefill-decode-only",
                "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertTrue(j.get("decode_tokens_per_s").asDouble() > 0, r.out());
        assertTrue(j.get("second_turn_ttft_ms") == null && j.get("speculative_speedup") == null, r.out());
    }

    @Test
    void depthFillsTheContextThenMeasuresAtEachDepth() throws Exception {
        CliRun.Outcome r = CliRun.run(
                "bench",
                "--model",
                EngineCommandsTest.TINY.resolve("tiny-bf16.gguf").toString(),
                "--prompt-tokens",
                "16",
                "--gen-tokens",
                "4",
                "--threads",
                "2",
                "--batch",
                "32",
                "--depth",
                "0,200",
                "--depth",
                "300",
                "--kv-type",
                "bf16",
                "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("bf16", j.get("kv_type").asText());
        assertEquals(16, j.get("prompt_tokens").asInt());
        JsonNode depths = j.get("depths");
        assertEquals(3, depths.size(), r.out());
        int[] expected = {0, 200, 300};
        for (int i = 0; i < expected.length; i++) {
            JsonNode d = depths.get(i);
            assertEquals(expected[i], d.get("depth").asInt());
            assertTrue(d.get("prefill_tokens_per_s").asDouble() > 0, r.out());
            assertTrue(d.get("decode_tokens_per_s").asDouble() > 0, r.out());
            assertTrue(d.get("load_average_before").asText().length() > 0, r.out());
        }
        assertTrue(j.get("heap_max_mb").asDouble() > 0, r.out());
        assertTrue(
                depths.get(2).get("cache_mb").asDouble()
                        > depths.get(1).get("cache_mb").asDouble(),
                "a deeper context holds more cache: " + r.out());
        assertTrue(
                r.err().contains("gptoss bench: depth 300: filling the context (prefill of 300 tokens, not timed)"),
                r.err());
        assertTrue(j.get("second_turn_ttft_ms") == null, "depth mode measures only prefill and decode: " + r.out());
    }

    @Test
    void depthBeyondTheContextIsRejected() {
        CliRun.Outcome r = CliRun.run(
                "bench",
                "--model",
                EngineCommandsTest.TINY.resolve("tiny-bf16.gguf").toString(),
                "--depth",
                "100000000");
        assertTrue(r.code() != 0);
        assertTrue(r.err().contains("exceeds the model's context"), r.err());
    }

    @Test
    void badArgumentsAreRejected() {
        CliRun.Outcome r = CliRun.run(
                "bench",
                "--model",
                EngineCommandsTest.TINY.resolve("tiny-bf16.gguf").toString(),
                "--gen-tokens",
                "0");
        assertTrue(r.code() != 0);
        assertTrue(r.err().contains("--gen-tokens"), r.err());
    }
}
