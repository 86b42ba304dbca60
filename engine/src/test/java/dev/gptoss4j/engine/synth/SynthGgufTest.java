package dev.gptoss4j.engine.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gptoss4j.engine.synth.TestFiles.Gguf;
import dev.gptoss4j.engine.synth.TestFiles.GgufTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthGgufTest {

    /** ggml type id -> {values per block, bytes per block}, as ggml defines them. */
    private static final Map<Integer, int[]> GGML_SIZES = Map.of(
            0, new int[] {1, 4}, 1, new int[] {1, 2}, 8, new int[] {32, 34}, 30, new int[] {1, 2}, 39, new int[] {32, 17
            });

    @TempDir
    Path dir;

    SynthConfig config;

    @BeforeEach
    void fixtureConfig() throws IOException {
        config = SynthConfig.fromHfConfig(TestFiles.resourceFile("tiny-fixture-config.json", dir));
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherWeights() throws IOException {
        Path a = dir.resolve("a.gguf"), b = dir.resolve("b.gguf"), c = dir.resolve("c.gguf");
        SynthGguf.write(config, 5, GgufType.BF16, a, 2, n -> {});
        SynthGguf.write(config, 5, GgufType.BF16, b, 1, n -> {});
        SynthGguf.write(config, 6, GgufType.BF16, c, 2, n -> {});
        assertEquals(-1, Files.mismatch(a, b), "same seed, different thread counts");
        long first = Files.mismatch(a, c);
        assertTrue(
                first >= TestFiles.readGguf(a).dataStart(),
                "seeds change the weights only, first difference at " + first);
    }

    @Test
    void layoutIsTheConvertersAndSizesAreExact() throws IOException {
        Path file = dir.resolve("m.gguf");
        AtomicBytes progress = new AtomicBytes();
        SynthGguf.write(config, 1, GgufType.BF16, file, 2, progress);
        Gguf g = TestFiles.readGguf(file);

        Map<String, long[]> expected = expectedShapes(config);
        assertEquals(expected.keySet(), names(g));
        long end = 0;
        long dataBytes = 0;
        for (GgufTensor t : g.tensors()) {
            assertArrayEquals(expected.get(t.name()), t.ne(), t.name());
            assertEquals(expectedType(t.name(), 30), t.type(), t.name());
            assertEquals(0, t.offset() % 32, t.name() + " offset alignment");
            assertEquals(align(end), t.offset(), t.name() + " follows the previous tensor");
            end = t.offset() + bytes(t);
            dataBytes += bytes(t);
        }
        assertEquals(0, g.dataStart() % 32);
        assertEquals(g.dataStart() + align(end), Files.size(file));
        assertEquals(dataBytes, progress.total, "progress reports every tensor byte");

        Map<String, Object> kv = g.kv();
        assertEquals("gpt-oss", kv.get("general.architecture"));
        assertEquals(32L, kv.get("general.alignment"));
        assertEquals(38L, kv.get("general.file_type"));
        assertEquals(4L, kv.get("gpt-oss.block_count"));
        assertEquals(128L, kv.get("gpt-oss.embedding_length"));
        assertEquals(64L, kv.get("gpt-oss.expert_feed_forward_length"));
        assertEquals(8L, kv.get("gpt-oss.expert_count"));
        assertEquals(4L, kv.get("gpt-oss.expert_used_count"));
        assertEquals(8L, kv.get("gpt-oss.attention.sliding_window"));
        assertEquals(2L, kv.get("gpt-oss.attention.head_count_kv"));
        assertEquals(32L, kv.get("gpt-oss.attention.key_length"));
        assertEquals(150000.0f, kv.get("gpt-oss.rope.freq_base"));
        assertEquals("yarn", kv.get("gpt-oss.rope.scaling.type"));
        assertEquals(32.0f, kv.get("gpt-oss.rope.scaling.factor"));
        assertEquals(4096L, kv.get("gpt-oss.rope.scaling.original_context_length"));
        assertEquals(1e-5f, kv.get("gpt-oss.attention.layer_norm_rms_epsilon"));
        assertEquals("gpt2", kv.get("tokenizer.ggml.model"));
        assertEquals("gpt-4o", kv.get("tokenizer.ggml.pre"));
        // The conformance fixture's made-up vocabulary: bytes, letter pairs, then the 12 special tokens.
        List<?> tokens = (List<?>) kv.get("tokenizer.ggml.tokens");
        assertEquals(512, tokens.size());
        assertEquals(List.of("!", "\"", "#"), tokens.subList(0, 3));
        assertEquals("ee", tokens.get(256));
        assertEquals("<|startoftext|>", tokens.get(500));
        assertEquals("<|return|>", tokens.get(502));
        assertEquals("<|reserved_c|>", tokens.get(511));
        assertEquals(244, ((List<?>) kv.get("tokenizer.ggml.merges")).size());
        assertEquals(3L, ((List<?>) kv.get("tokenizer.ggml.token_type")).get(505));
        assertEquals(500L, kv.get("tokenizer.ggml.bos_token_id"));
        assertEquals(502L, kv.get("tokenizer.ggml.eos_token_id"));
    }

    @Test
    void tinyPresetCarriesTheFullHarmonyVocabulary() throws IOException {
        SynthConfig tiny = SynthConfig.tiny();
        Path file = dir.resolve("tiny.gguf");
        SynthGguf.write(tiny, 0, GgufType.BF16, file, 2, n -> {});
        Gguf g = TestFiles.readGguf(file);
        assertEquals(expectedShapes(tiny).keySet(), names(g));
        assertEquals(201088, ((List<?>) g.kv().get("tokenizer.ggml.tokens")).size());
        assertEquals(199998L, g.kv().get("tokenizer.ggml.bos_token_id"));
        assertEquals(200002L, g.kv().get("tokenizer.ggml.eos_token_id"));
        assertEquals(199999L, g.kv().get("tokenizer.ggml.padding_token_id"));
        long end = 0;
        for (GgufTensor t : g.tensors()) end = t.offset() + bytes(t);
        assertEquals(g.dataStart() + align(end), Files.size(file));
        assertArrayEquals(
                new long[] {tiny.hidden(), 201088}, g.tensor("output.weight").ne());
    }

    @Test
    void dtypeChangesOnlyTheMatrices() throws IOException {
        Map<GgufType, Long> sizes = new HashMap<>();
        for (GgufType type : List.of(GgufType.F32, GgufType.F16, GgufType.BF16, GgufType.Q8_0)) {
            Path file = dir.resolve(type + ".gguf");
            SynthGguf.write(config, 3, type, file, 2, n -> {});
            Gguf g = TestFiles.readGguf(file);
            long end = 0;
            for (GgufTensor t : g.tensors()) {
                assertEquals(expectedType(t.name(), type.id), t.type(), type + " " + t.name());
                end = t.offset() + bytes(t);
            }
            assertEquals(g.dataStart() + align(end), Files.size(file), type + " file size");
            sizes.put(type, Files.size(file));
        }
        assertTrue(sizes.get(GgufType.Q8_0) < sizes.get(GgufType.BF16));
        assertEquals(sizes.get(GgufType.BF16), sizes.get(GgufType.F16));
        assertTrue(sizes.get(GgufType.F32) > sizes.get(GgufType.BF16));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GgufType.ofDtype("q4_0"));
        assertTrue(e.getMessage().contains("q4_0"), e.getMessage());
    }

    @Test
    void holdsTheSameModelAsTheHuggingFaceCheckpointOfTheSeed() throws IOException {
        Path gguf = dir.resolve("m.gguf");
        Path hf = dir.resolve("hf");
        SynthGguf.write(config, 9, GgufType.BF16, gguf, 2, n -> {});
        SynthHf.write(config, 9, hf, SynthHf.DEFAULT_SHARD_BYTES, 2, n -> {});
        Gguf g = TestFiles.readGguf(gguf);
        Path st = hf.resolve(SynthHf.SINGLE_FILE);
        TestFiles.Safetensors s = TestFiles.readSafetensors(st);

        // BF16 matrices: identical bytes, row for row.
        assertArrayEquals(
                hfBytes(st, s, "model.embed_tokens.weight", 0, 512 * 128 * 2),
                ggufBytes(gguf, g, "token_embd.weight", 0, 512 * 128 * 2));

        int h = 128, inter = 64, blocksPerRow = h / 32;
        for (int[] pick : new int[][] {{0, 0, 0}, {3, 5, 1}, {7, 63, 3}}) {
            int e = pick[0], row = pick[1], k = pick[2];
            for (int half = 0; half < 2; half++) {
                String ggufName = half == 0 ? "blk.1.ffn_gate_exps.weight" : "blk.1.ffn_up_exps.weight";
                byte[] block = ggufBytes(gguf, g, ggufName, ((long) (e * inter + row) * blocksPerRow + k) * 17, 17);
                // gate is the even rows of the interleaved gate_up_proj, up the odd ones.
                long hfBlock = (long) (e * 2 * inter + 2 * row + half) * blocksPerRow + k;
                byte[] hfQs = hfBytes(st, s, "model.layers.1.mlp.experts.gate_up_proj_blocks", hfBlock * 16, 16);
                byte[] hfScale = hfBytes(st, s, "model.layers.1.mlp.experts.gate_up_proj_scales", hfBlock, 1);
                assertEquals(hfScale[0], block[0], ggufName + " scale");
                for (int v = 0; v < 32; v++) {
                    int hfNibble = (hfQs[v / 2] >> (4 * (v % 2))) & 15; // openai: 2j low, 2j+1 high
                    int ggNibble = (block[1 + v % 16] >> (4 * (v / 16))) & 15; // ggml: j low, j+16 high
                    assertEquals(hfNibble, ggNibble, ggufName + " value " + v + " of block " + hfBlock);
                }
            }
        }
        // down_proj has fan-in 64: 2^-5 keeps a row's output variance near its input's (E2M1 values have
        // mean square 8.6), with one step of spread either side.
        byte[] scales = hfBytes(st, s, "model.layers.0.mlp.experts.down_proj_scales", 0, 8 * 128 * 2);
        java.util.Set<Integer> exponents = new java.util.TreeSet<>();
        for (byte b : scales) exponents.add(b - 127);
        assertEquals(java.util.Set.of(-6, -5, -4), exponents);
    }

    @Test
    void o200kHarmonyVocabularyEncodesLikeTheTokenizer() {
        GgufVocabulary v = GgufVocabulary.o200kHarmony();
        assertEquals(201088, v.tokens().size());
        assertEquals(201088, v.types().length);
        assertEquals("Hello", v.tokens().get(13225));
        assertEquals("\u0120world", v.tokens().get(2375));
        assertEquals("<|start|>", v.tokens().get(200006));
        assertEquals("<|reserved_201087|>", v.tokens().get(201087));
        assertEquals(GgufVocabulary.CONTROL, v.types()[200006]);
        assertEquals(GgufVocabulary.NORMAL, v.types()[13225]);
        assertEquals(List.of(199998, 200002, 199999), List.of(v.bos(), v.eos(), v.pad()));

        // Byte-pair encoding with the recovered merges must reproduce o200k_base's own ids.
        Map<String, Integer> rank = new HashMap<>();
        for (int i = 0; i < v.merges().size(); i++) rank.put(v.merges().get(i), i);
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < v.tokens().size(); i++) ids.put(v.tokens().get(i), i);
        String[] chars = GgufVocabulary.byteLevelChars();
        var tokenizer = dev.gptoss4j.engine.tokenizer.Tokenizer.o200kHarmony();
        for (String word :
                List.of("Hello", " world", " internationalization", " Привет", " schön", " 東京", " 12", "!!!")) {
            List<String> parts = new ArrayList<>();
            for (byte b : word.getBytes(java.nio.charset.StandardCharsets.UTF_8)) parts.add(chars[b & 0xff]);
            while (parts.size() > 1) {
                int best = -1, bestRank = Integer.MAX_VALUE;
                for (int i = 0; i + 1 < parts.size(); i++) {
                    Integer r = rank.get(parts.get(i) + " " + parts.get(i + 1));
                    if (r != null && r < bestRank) {
                        bestRank = r;
                        best = i;
                    }
                }
                if (best < 0) break;
                parts.set(best, parts.get(best) + parts.remove(best + 1));
            }
            int[] got = parts.stream().mapToInt(ids::get).toArray();
            assertArrayEquals(tokenizer.encode(word), got, word);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Map<String, long[]> expectedShapes(SynthConfig c) {
        long h = c.hidden(), q = c.queryDim(), kv = c.kvDim(), e = c.experts(), i = c.intermediate(), v = c.vocab();
        Map<String, long[]> m = new HashMap<>();
        m.put("token_embd.weight", new long[] {h, v});
        m.put("output.weight", new long[] {h, v});
        m.put("output_norm.weight", new long[] {h});
        for (int l = 0; l < c.layers(); l++) {
            String b = "blk." + l + ".";
            m.put(b + "attn_norm.weight", new long[] {h});
            m.put(b + "post_attention_norm.weight", new long[] {h});
            m.put(b + "attn_q.weight", new long[] {h, q});
            m.put(b + "attn_q.bias", new long[] {q});
            m.put(b + "attn_k.weight", new long[] {h, kv});
            m.put(b + "attn_k.bias", new long[] {kv});
            m.put(b + "attn_v.weight", new long[] {h, kv});
            m.put(b + "attn_v.bias", new long[] {kv});
            m.put(b + "attn_output.weight", new long[] {q, h});
            m.put(b + "attn_output.bias", new long[] {h});
            m.put(b + "attn_sinks.weight", new long[] {c.heads()});
            m.put(b + "ffn_gate_inp.weight", new long[] {h, e});
            m.put(b + "ffn_gate_inp.bias", new long[] {e});
            m.put(b + "ffn_gate_exps.weight", new long[] {h, i, e});
            m.put(b + "ffn_up_exps.weight", new long[] {h, i, e});
            m.put(b + "ffn_down_exps.weight", new long[] {i, h, e});
            m.put(b + "ffn_gate_exps.bias", new long[] {i, e});
            m.put(b + "ffn_up_exps.bias", new long[] {i, e});
            m.put(b + "ffn_down_exps.bias", new long[] {h, e});
        }
        return m;
    }

    /** The converter's types: experts MXFP4, the attention/embedding/output matrices the chosen type, the rest F32. */
    private static int expectedType(String name, int matrixType) {
        if (name.endsWith("_exps.weight")) return 39;
        if (name.equals("token_embd.weight")
                || name.equals("output.weight")
                || name.matches("blk\\.\\d+\\.attn_(q|k|v|output)\\.weight")) {
            return matrixType;
        }
        return 0;
    }

    private static java.util.Set<String> names(Gguf g) {
        java.util.Set<String> s = new java.util.HashSet<>();
        for (GgufTensor t : g.tensors()) assertTrue(s.add(t.name()), "duplicate tensor " + t.name());
        return s;
    }

    private static long bytes(GgufTensor t) {
        int[] size = GGML_SIZES.get(t.type());
        long n = 1;
        for (long d : t.ne()) n *= d;
        return n / size[0] * size[1];
    }

    private static long align(long n) {
        return (n + 31) / 32 * 32;
    }

    private static byte[] ggufBytes(Path file, Gguf g, String tensor, long at, int length) throws IOException {
        return TestFiles.bytesAt(file, g.dataStart() + g.tensor(tensor).offset() + at, length);
    }

    private static byte[] hfBytes(Path file, TestFiles.Safetensors s, String tensor, long at, int length)
            throws IOException {
        JsonNode t = s.header().get(tensor);
        assertNotEquals(null, t, "no tensor " + tensor);
        return TestFiles.bytesAt(
                file, s.dataStart() + t.get("data_offsets").get(0).asLong() + at, length);
    }

    /** Sums progress reports. */
    static final class AtomicBytes implements java.util.function.LongConsumer {
        long total;

        @Override
        public synchronized void accept(long n) {
            total += n;
        }
    }
}
