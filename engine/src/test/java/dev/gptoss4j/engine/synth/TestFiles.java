package dev.gptoss4j.engine.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Minimal independent readers of the files the synth writers produce, for the tests only. */
final class TestFiles {

    private TestFiles() {}

    record GgufTensor(String name, long[] ne, int type, long offset) {}

    record Gguf(Map<String, Object> kv, List<GgufTensor> tensors, long dataStart, long headerEnd) {
        GgufTensor tensor(String name) {
            return tensors.stream()
                    .filter(t -> t.name.equals(name))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no tensor " + name));
        }
    }

    static Gguf readGguf(Path file) throws IOException {
        ByteBuffer b;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long n = Math.min(ch.size(), 64L << 20);
            b = ch.map(FileChannel.MapMode.READ_ONLY, 0, n).order(ByteOrder.LITTLE_ENDIAN);
        }
        byte[] magic = new byte[4];
        b.get(magic);
        if (!new String(magic, StandardCharsets.US_ASCII).equals("GGUF")) throw new AssertionError("bad magic");
        int version = b.getInt();
        if (version != 3) throw new AssertionError("version " + version);
        long nt = b.getLong();
        long nkv = b.getLong();
        Map<String, Object> kv = new LinkedHashMap<>();
        for (long i = 0; i < nkv; i++) {
            String key = string(b);
            kv.put(key, value(b, b.getInt()));
        }
        List<GgufTensor> tensors = new ArrayList<>();
        for (long i = 0; i < nt; i++) {
            String name = string(b);
            long[] ne = new long[b.getInt()];
            for (int d = 0; d < ne.length; d++) ne[d] = b.getLong();
            tensors.add(new GgufTensor(name, ne, b.getInt(), b.getLong()));
        }
        long alignment = ((Number) kv.getOrDefault("general.alignment", 32L)).longValue();
        long end = b.position();
        return new Gguf(kv, tensors, (end + alignment - 1) / alignment * alignment, end);
    }

    private static Object value(ByteBuffer b, int type) {
        return switch (type) {
            case 0, 1 -> (long) b.get();
            case 2, 3 -> (long) b.getShort();
            case 4 -> b.getInt() & 0xffffffffL;
            case 5 -> (long) b.getInt();
            case 6 -> b.getFloat();
            case 7 -> b.get() != 0;
            case 8 -> string(b);
            case 9 -> {
                int et = b.getInt();
                long n = b.getLong();
                List<Object> list = new ArrayList<>();
                for (long i = 0; i < n; i++) list.add(value(b, et));
                yield list;
            }
            case 10, 11 -> b.getLong();
            case 12 -> b.getDouble();
            default -> throw new AssertionError("unknown GGUF value type " + type);
        };
    }

    private static String string(ByteBuffer b) {
        byte[] s = new byte[(int) b.getLong()];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    /** A safetensors file's header (JSON) and where its data starts. */
    record Safetensors(JsonNode header, long dataStart) {}

    static Safetensors readSafetensors(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(len, 0);
            long n = len.flip().getLong();
            ByteBuffer json = ByteBuffer.allocate((int) n);
            ch.read(json, 8);
            return new Safetensors(new ObjectMapper().readTree(json.array()), 8 + n);
        }
    }

    static byte[] bytesAt(Path file, long offset, int length) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(length);
            while (b.hasRemaining()) {
                if (ch.read(b, offset + b.position()) < 0)
                    throw new AssertionError("file ends before " + (offset + length));
            }
            return b.array();
        }
    }

    static JsonNode resourceJson(String name) throws IOException {
        try (InputStream in = TestFiles.class.getResourceAsStream("/synth/" + name)) {
            if (in == null) throw new AssertionError("missing test resource /synth/" + name);
            return new ObjectMapper().readTree(in);
        }
    }

    static Path resourceFile(String name, Path dir) throws IOException {
        try (InputStream in = TestFiles.class.getResourceAsStream("/synth/" + name)) {
            if (in == null) throw new AssertionError("missing test resource /synth/" + name);
            Path p = dir.resolve(name);
            Files.copy(in, p);
            return p;
        }
    }
}
