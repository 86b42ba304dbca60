package dev.gptoss4j.engine.synth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Writes a GGUF v3 file: the magic, the metadata key/values, the tensor infos, then each tensor's data at
 * an offset aligned to {@code general.alignment}. Tensor data is streamed from {@link TensorData}, so files of
 * any size are written with little memory. Keys and tensors keep the order they were added in.
 *
 * <pre>{@code
 * GgufWriter gguf = new GgufWriter();
 * gguf.putString("general.architecture", "gpt-oss");
 * gguf.addTensor("token_embd.weight", GgufType.BF16, new long[] {hidden, vocab}, data);
 * gguf.write(path, threads, bytes -> {});
 * }</pre>
 */
public final class GgufWriter {

    public static final int VERSION = 3;
    public static final int DEFAULT_ALIGNMENT = 32;

    private static final int T_U32 = 4, T_I32 = 5, T_F32 = 6, T_BOOL = 7, T_STRING = 8, T_ARRAY = 9, T_U64 = 10;

    private final Map<String, byte[]> metadata = new LinkedHashMap<>();
    private final List<Tensor> tensors = new ArrayList<>();
    private final Set<String> tensorNames = new HashSet<>();
    private final int alignment;

    /** A writer with the default alignment of 32, recorded as {@code general.alignment}. */
    public GgufWriter() {
        this(DEFAULT_ALIGNMENT);
    }

    public GgufWriter(int alignment) {
        if (alignment <= 0 || alignment % 8 != 0) {
            throw new IllegalArgumentException("GGUF alignment must be a positive multiple of 8, got " + alignment);
        }
        this.alignment = alignment;
        putU32("general.alignment", alignment);
    }

    private record Tensor(String name, GgufType type, long[] ne, TensorData data, long bytes) {}

    public GgufWriter putString(String key, String value) {
        Bytes b = new Bytes();
        b.u32(T_STRING);
        b.string(value);
        return put(key, b);
    }

    public GgufWriter putU32(String key, long value) {
        if (value < 0 || value > 0xffffffffL)
            throw new IllegalArgumentException(key + ": " + value + " does not fit a uint32");
        Bytes b = new Bytes();
        b.u32(T_U32);
        b.u32(value);
        return put(key, b);
    }

    public GgufWriter putU64(String key, long value) {
        Bytes b = new Bytes();
        b.u32(T_U64);
        b.u64(value);
        return put(key, b);
    }

    public GgufWriter putF32(String key, float value) {
        Bytes b = new Bytes();
        b.u32(T_F32);
        b.u32(Float.floatToRawIntBits(value));
        return put(key, b);
    }

    public GgufWriter putBool(String key, boolean value) {
        Bytes b = new Bytes();
        b.u32(T_BOOL);
        b.write(value ? 1 : 0);
        return put(key, b);
    }

    public GgufWriter putStrings(String key, List<String> values) {
        Bytes b = new Bytes();
        b.u32(T_ARRAY);
        b.u32(T_STRING);
        b.u64(values.size());
        for (String v : values) b.string(v);
        return put(key, b);
    }

    public GgufWriter putI32s(String key, int[] values) {
        Bytes b = new Bytes();
        b.u32(T_ARRAY);
        b.u32(T_I32);
        b.u64(values.length);
        for (int v : values) b.u32(v & 0xffffffffL);
        return put(key, b);
    }

    private GgufWriter put(String key, Bytes value) {
        if (key == null || key.isEmpty()) throw new IllegalArgumentException("GGUF metadata key must not be empty");
        if (metadata.containsKey(key)) throw new IllegalArgumentException("GGUF metadata key " + key + " is set twice");
        metadata.put(key, value.toByteArray());
        return this;
    }

    /**
     * Adds a tensor. {@code ne} lists the dimensions innermost first, as ggml does (a PyTorch {@code [rows, cols]}
     * matrix is {@code {cols, rows}}); {@code data} must have one row per product of the outer dimensions.
     */
    public GgufWriter addTensor(String name, GgufType type, long[] ne, TensorData data) {
        if (!tensorNames.add(name)) throw new IllegalArgumentException("GGUF tensor " + name + " is added twice");
        if (ne.length == 0 || ne.length > 4) {
            throw new IllegalArgumentException(
                    "tensor " + name + ": ggml tensors have 1 to 4 dimensions, got " + ne.length);
        }
        long rows = 1;
        for (int i = 1; i < ne.length; i++) rows *= ne[i];
        int rowBytes = type.rowBytes(ne[0], name);
        if (data.rows() != rows || data.rowBytes() != rowBytes) {
            throw new IllegalArgumentException("tensor " + name + ": data has " + data.rows() + " rows of "
                    + data.rowBytes() + " bytes, the shape needs " + rows + " rows of " + rowBytes);
        }
        tensors.add(new Tensor(name, type, ne.clone(), data, rows * rowBytes));
        return this;
    }

    /** Total size of the file {@link #write} produces. */
    public long fileSize() {
        return dataStart(header().length) + dataSize();
    }

    /**
     * Writes the file (replacing it), producing tensor data on {@code threads} threads; {@code progress}
     * receives the number of tensor bytes written as they go.
     */
    public void write(Path file, int threads, LongConsumer progress) {
        byte[] header = header();
        long dataStart = dataStart(header.length);
        try (FileChannel ch = FileChannel.open(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
                ChunkedWriter out = new ChunkedWriter(ch, threads, progress)) {
            out.writeBytes(ByteBuffer.wrap(header), 0);
            long pos = dataStart;
            for (Tensor t : tensors) {
                long end = out.write(t.name, t.data, pos);
                pos = align(end);
            }
            // The last tensor is padded too, so the file ends on the alignment like gguf-py's files do.
            if (ch.size() < pos) out.writeBytes(ByteBuffer.allocate((int) (pos - ch.size())), ch.size());
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file + ": " + e.getMessage(), e);
        }
    }

    private long dataSize() {
        long size = 0;
        for (Tensor t : tensors) size += align(t.bytes);
        return size;
    }

    private long dataStart(long headerBytes) {
        return align(headerBytes);
    }

    private long align(long n) {
        return (n + alignment - 1) / alignment * alignment;
    }

    private byte[] header() {
        Bytes b = new Bytes();
        b.writeBytes("GGUF".getBytes(StandardCharsets.US_ASCII));
        b.u32(VERSION);
        b.u64(tensors.size());
        b.u64(metadata.size());
        for (Map.Entry<String, byte[]> kv : metadata.entrySet()) {
            b.string(kv.getKey());
            b.writeBytes(kv.getValue());
        }
        long offset = 0;
        for (Tensor t : tensors) {
            b.string(t.name);
            b.u32(t.ne.length);
            for (long d : t.ne) b.u64(d);
            b.u32(t.type.id);
            b.u64(offset);
            offset += align(t.bytes);
        }
        return b.toByteArray();
    }

    /** Little-endian byte building for the header. */
    private static final class Bytes extends ByteArrayOutputStream {
        void u32(long v) {
            for (int i = 0; i < 4; i++) write((int) (v >>> (8 * i)));
        }

        void u64(long v) {
            for (int i = 0; i < 8; i++) write((int) (v >>> (8 * i)));
        }

        void string(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            u64(utf8.length);
            writeBytes(utf8);
        }
    }
}
