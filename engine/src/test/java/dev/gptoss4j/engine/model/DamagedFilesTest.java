package dev.gptoss4j.engine.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.engine.Fixtures;
import dev.gptoss4j.engine.model.io.ModelFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged copies of the real fixture files: each must fail with a {@link ModelFormatException} naming the
 * file and the key or tensor, never with an index error or a crash.
 */
class DamagedFilesTest {

    @TempDir
    Path tmp;

    /** Loads {@code path}, expecting a ModelFormatException whose message contains every one of {@code parts}. */
    static ModelFormatException failsWith(Path path, String... parts) {
        ModelFormatException e = assertThrows(
                ModelFormatException.class, () -> ModelLoader.load(path).close());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message \"" + e.getMessage() + "\" should mention " + part);
        }
        return e;
    }

    Path copyDir(Path from, String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) Files.copy(f, dir.resolve(f.getFileName()));
        }
        return dir;
    }

    /** Rewrites the JSON header of {@code dir/model.safetensors}, keeping the data bytes. */
    static void editHeader(Path dir, Consumer<ObjectNode> edit) throws IOException {
        Path file = dir.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode header = (ObjectNode) mapper.readTree(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
        edit.accept(header);
        byte[] json = mapper.writeValueAsBytes(header);
        ByteBuffer out = ByteBuffer.allocate(8 + json.length + bytes.length - 8 - (int) n)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length).put(json).put(bytes, 8 + (int) n, bytes.length - 8 - (int) n);
        Files.write(file, out.array());
    }

    @Test
    void missingTensor() throws IOException {
        Path dir = copyDir(Fixtures.hf(), "hf");
        editHeader(dir, h -> h.remove("model.layers.2.self_attn.sinks"));
        failsWith(dir, "hf: missing tensor model.layers.2.self_attn.sinks", "searched model.safetensors");
    }

    @Test
    void wrongShape() throws IOException {
        Path dir = copyDir(Fixtures.original(), "original");
        editHeader(dir, h -> {
            ArrayNode shape = ((ObjectNode) h.get("block.1.attn.qkv.weight")).putArray("shape");
            shape.add(128).add(384);
        });
        failsWith(dir, "model.safetensors", "block.1.attn.qkv.weight", "[128, 384]", "expected [384, 128]");
    }

    @Test
    void wrongDtype() throws IOException {
        Path dir = copyDir(Fixtures.hf(), "hf");
        editHeader(dir, h -> ((ObjectNode) h.get("model.layers.0.self_attn.sinks")).put("dtype", "I16"));
        failsWith(dir, "model.layers.0.self_attn.sinks", "dtype I16", "expected BF16");
    }

    @Test
    void sizeThatDisagreesWithShape() throws IOException {
        Path dir = copyDir(Fixtures.hf(), "hf");
        editHeader(dir, h -> ((ObjectNode) h.get("model.norm.weight")).put("dtype", "BF16"));
        failsWith(dir, "model.norm.weight", "expected 256");
    }

    @Test
    void truncatedSafetensors() throws IOException {
        Path dir = copyDir(Fixtures.hf(), "hf");
        Path file = dir.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        failsWith(dir, "model.safetensors", "outside");
        Files.write(file, Arrays.copyOf(bytes, 5));
        failsWith(dir, "model.safetensors", "truncated");
    }

    @Test
    void corruptSafetensorsHeader() throws IOException {
        Path dir = copyDir(Fixtures.original(), "original");
        Path file = dir.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(file);
        byte[] bad = bytes.clone();
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MAX_VALUE / 2);
        Files.write(file, bad);
        failsWith(dir, "model.safetensors", "corrupt safetensors header");
        bad = bytes.clone();
        bad[8] = 'x'; // the opening brace of the JSON
        Files.write(file, bad);
        failsWith(dir, "model.safetensors", "not valid JSON");
    }

    @Test
    void missingConfig() throws IOException {
        Path dir = copyDir(Fixtures.hf(), "hf");
        Files.delete(dir.resolve("config.json"));
        failsWith(dir, "config.json");
    }

    @Test
    void missingConfigKey() throws IOException {
        Path dir = copyDir(Fixtures.original(), "original");
        String config = Files.readString(dir.resolve("config.json")).replace("\"num_experts\"", "\"num_expertz\"");
        Files.writeString(dir.resolve("config.json"), config);
        failsWith(dir, "config.json", "num_experts");
    }

    @Test
    void missingShard() throws IOException {
        Path dir = copyDir(Fixtures.hf(), "hf");
        Files.move(dir.resolve("model.safetensors"), dir.resolve("model-00001-of-00002.safetensors"));
        Files.writeString(dir.resolve("model.safetensors.index.json"), """
                {"metadata": {}, "weight_map": {
                  "model.embed_tokens.weight": "model-00001-of-00002.safetensors",
                  "lm_head.weight": "model-00002-of-00002.safetensors"}}""");
        failsWith(dir, "missing shard model-00002-of-00002.safetensors", "lm_head.weight");
    }

    Path ggufCopy() throws IOException {
        Path file = tmp.resolve("model.gguf");
        Files.copy(Fixtures.ggufBf16(), file);
        return file;
    }

    static void replaceOnce(Path file, String from, String to) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        byte[] f = from.getBytes(StandardCharsets.UTF_8);
        byte[] t = to.getBytes(StandardCharsets.UTF_8);
        assertTrue(f.length == t.length);
        for (int i = 0; i + f.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + f.length, f, 0, f.length)) {
                System.arraycopy(t, 0, bytes, i, t.length);
                Files.write(file, bytes);
                return;
            }
        }
        fail(from + " not found");
    }

    @Test
    void ggufWrongArchitecture() throws IOException {
        Path file = ggufCopy();
        replaceOnce(file, "\u0007\0\0\0\0\0\0\0gpt-oss", "\u0007\0\0\0\0\0\0\0llamax2");
        failsWith(file, "model.gguf", "wrong architecture \"llamax2\"", "expected \"gpt-oss\"");
    }

    @Test
    void ggufMissingKey() throws IOException {
        Path file = ggufCopy();
        replaceOnce(file, "gpt-oss.expert_count", "gpt-oss.expert_xount");
        failsWith(file, "model.gguf", "missing key gpt-oss.expert_count");
    }

    @Test
    void ggufMissingTensor() throws IOException {
        Path file = ggufCopy();
        replaceOnce(file, "blk.3.attn_sinks.weight", "blk.3.attn_sinkz.weight");
        failsWith(file, "model.gguf", "missing tensor blk.3.attn_sinks.weight");
    }

    @Test
    void ggufWrongShapeAndType() throws IOException {
        Path file = ggufCopy();
        // dims of blk.0.attn_q.weight are [128, 256]: make them [256, 128]
        byte[] bytes = Files.readAllBytes(file);
        byte[] name = "blk.0.attn_q.weight".getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(bytes, name) + name.length;
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(at + 4, 256).putLong(at + 12, 128);
        Files.write(file, bytes);
        failsWith(file, "blk.0.attn_q.weight", "[256, 128]", "expected [128, 256]");
        b.putLong(at + 4, 128).putLong(at + 12, 256).putInt(at + 20, 12); // type Q4_K
        Files.write(file, bytes);
        failsWith(file, "blk.0.attn_q.weight", "unsupported type", "Q8_0 or MXFP4");
    }

    static int indexOf(byte[] bytes, byte[] what) {
        for (int i = 0; i + what.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + what.length, what, 0, what.length)) return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void ggufTruncatedAnywhere() throws IOException {
        byte[] bytes = Files.readAllBytes(Fixtures.ggufF32());
        Path file = tmp.resolve("cut.gguf");
        for (int length :
                new int[] {0, 3, 4, 10, 24, 100, 1000, 5000, 16000, 16049, 20000, bytes.length / 2, bytes.length - 1}) {
            Files.write(file, Arrays.copyOf(bytes, length));
            ModelFormatException e = assertThrows(
                    ModelFormatException.class, () -> ModelLoader.load(file).close(), "length " + length);
            assertTrue(e.getMessage().contains("cut.gguf"), e.getMessage());
        }
    }

    @Test
    void ggufBadMagicAndVersion() throws IOException {
        Path file = ggufCopy();
        byte[] bytes = Files.readAllBytes(file);
        bytes[4] = 9;
        Files.write(file, bytes);
        failsWith(file, "model.gguf", "unsupported GGUF version 9");
        bytes[0] = 'X';
        Files.write(file, bytes);
        failsWith(file, "model.gguf", "not a GGUF file");
    }

    /** Random byte corruption of headers: whatever happens, only ModelFormatException (or a successful load). */
    @Test
    void randomHeaderCorruptionNeverEscapesAsAnotherException() throws IOException {
        Random rnd = new Random(42);
        byte[] gguf = Files.readAllBytes(Fixtures.ggufF32());
        byte[] st = Files.readAllBytes(Fixtures.original().resolve("model.safetensors"));
        Path ggufFile = tmp.resolve("fuzz.gguf");
        Path dir = copyDir(Fixtures.original(), "fuzz");
        int headerEnd = 16049;
        for (int round = 0; round < 150; round++) {
            byte[] g = gguf.clone();
            for (int k = 0; k < 1 + rnd.nextInt(4); k++) g[rnd.nextInt(headerEnd)] = (byte) rnd.nextInt(256);
            Files.write(ggufFile, g);
            loadExpectingOnlyFormatErrors(ggufFile);
            byte[] s = st.clone();
            for (int k = 0; k < 1 + rnd.nextInt(4); k++) s[rnd.nextInt(4000)] = (byte) rnd.nextInt(256);
            Files.write(dir.resolve("model.safetensors"), s);
            loadExpectingOnlyFormatErrors(dir);
        }
    }

    static void loadExpectingOnlyFormatErrors(Path p) {
        try {
            dev.gptoss4j.engine.GptOss.load(p).close();
        } catch (ModelFormatException expected) {
            assertTrue(expected.getMessage().contains(p.getFileName().toString()), expected.getMessage());
        } catch (RuntimeException | Error other) {
            throw new AssertionError("damaged " + p + " escaped as " + other, other);
        }
    }
}
