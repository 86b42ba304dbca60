package dev.gptoss4j.engine.synth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Writes one safetensors file: an 8-byte little-endian header length, a JSON header (padded with spaces to
 * a multiple of 8 bytes, as the reference library does) mapping each tensor name to its dtype, shape and
 * byte range, then the tensors' bytes back to back. Tensor data is streamed from {@link TensorData}.
 */
public final class SafetensorsWriter {

    private static final Set<String> DTYPES =
            Set.of("F64", "F32", "F16", "BF16", "I64", "I32", "I16", "I8", "U8", "BOOL");

    private final Map<String, String> metadata;
    private final List<Tensor> tensors = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private long dataBytes;

    private record Tensor(String name, String dtype, long[] shape, TensorData data, long begin, long end) {}

    /** A writer whose header carries {@code metadata} under {@code __metadata__} (e.g. {@code format: pt}). */
    public SafetensorsWriter(Map<String, String> metadata) {
        this.metadata = new LinkedHashMap<>(metadata);
    }

    /** Adds a tensor; its bytes follow the previous tensor's. {@code shape} is outermost first. */
    public SafetensorsWriter addTensor(String name, String dtype, long[] shape, TensorData data) {
        if (!DTYPES.contains(dtype))
            throw new IllegalArgumentException("tensor " + name + ": unknown safetensors dtype " + dtype);
        if (name.equals("__metadata__") || !names.add(name)) {
            throw new IllegalArgumentException("safetensors tensor name " + name + " is reserved or added twice");
        }
        long elements = 1;
        for (long d : shape) elements *= d;
        long bytes = elements * elementBytes(dtype);
        if (data.byteSize() != bytes) {
            throw new IllegalArgumentException("tensor " + name + ": data has " + data.byteSize() + " bytes, " + dtype
                    + " " + Arrays.toString(shape) + " needs " + bytes);
        }
        tensors.add(new Tensor(name, dtype, shape.clone(), data, dataBytes, dataBytes + bytes));
        dataBytes += bytes;
        return this;
    }

    /** Bytes of tensor data (what a sharded checkpoint's index counts as {@code total_size}). */
    public long dataBytes() {
        return dataBytes;
    }

    public List<String> tensorNames() {
        return tensors.stream().map(Tensor::name).toList();
    }

    /** Total size of the file {@link #write} produces. */
    public long fileSize() {
        return 8 + header().length + dataBytes;
    }

    public void write(Path file, int threads, LongConsumer progress) {
        byte[] header = header();
        try (FileChannel ch = FileChannel.open(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
                ChunkedWriter out = new ChunkedWriter(ch, threads, progress)) {
            ByteBuffer prefix = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
            prefix.putLong(header.length).put(header).flip();
            long pos = out.writeBytes(prefix, 0);
            for (Tensor t : tensors) pos = out.write(t.name, t.data, pos);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file + ": " + e.getMessage(), e);
        }
    }

    private byte[] header() {
        Map<String, Object> json = new LinkedHashMap<>();
        if (!metadata.isEmpty()) json.put("__metadata__", metadata);
        for (Tensor t : tensors) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", t.dtype);
            entry.put("shape", t.shape);
            entry.put("data_offsets", new long[] {t.begin, t.end});
            json.put(t.name, entry);
        }
        byte[] text;
        try {
            text = new ObjectMapper().writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("safetensors header not serialisable: " + e.getMessage(), e);
        }
        int padded = (text.length + 7) / 8 * 8;
        byte[] header = new byte[padded];
        System.arraycopy(text, 0, header, 0, text.length);
        Arrays.fill(header, text.length, padded, (byte) ' ');
        return header;
    }

    static int elementBytes(String dtype) {
        return switch (dtype) {
            case "F64", "I64" -> 8;
            case "F32", "I32" -> 4;
            case "F16", "BF16", "I16" -> 2;
            case "I8", "U8", "BOOL" -> 1;
            default -> throw new IllegalArgumentException("unknown safetensors dtype " + dtype);
        };
    }
}
