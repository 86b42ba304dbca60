package dev.gptoss4j.engine.model.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gptoss4j.engine.model.io.MappedFile;
import dev.gptoss4j.engine.model.io.ModelFormatException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One memory-mapped {@code .safetensors} file: an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the data. Every range is checked against the file size when the
 * file is opened, so a truncated or corrupt file fails here with its name, never later inside a kernel.
 */
public final class SafetensorsFile {

    /** Upper bound for the JSON header; real headers are well under a megabyte. */
    private static final long MAX_HEADER = 100L << 20;

    /** A tensor's entry: {@code offset} is absolute in the file. */
    public record TensorInfo(String name, String dtype, long[] shape, long offset, long byteSize) {
        public long elementCount() {
            long n = 1;
            for (long d : shape) n = Math.multiplyExact(n, d);
            return n;
        }
    }

    private final Path path;
    private final MemorySegment segment;
    private final Map<String, TensorInfo> tensors;

    private SafetensorsFile(Path path, MemorySegment segment, Map<String, TensorInfo> tensors) {
        this.path = path;
        this.segment = segment;
        this.tensors = tensors;
    }

    /** Maps {@code path} into {@code arena} (unmapped when the arena closes) and validates its header. */
    public static SafetensorsFile open(Path path, Arena arena) {
        MemorySegment seg = MappedFile.map(path, arena, "safetensors file");
        return new SafetensorsFile(path, seg, parseHeader(path, seg));
    }

    private static Map<String, TensorInfo> parseHeader(Path path, MemorySegment seg) {
        long size = seg.byteSize();
        if (size < 8) {
            throw new ModelFormatException(path + ": truncated safetensors file (" + size
                    + " bytes; expected at least the 8-byte header length)");
        }
        long headerLength = seg.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (headerLength < 2 || headerLength > MAX_HEADER || headerLength > size - 8) {
            throw new ModelFormatException(path + ": corrupt safetensors header: header length " + headerLength
                    + " does not fit in the " + size + "-byte file");
        }
        byte[] json = seg.asSlice(8, headerLength).toArray(ValueLayout.JAVA_BYTE);
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(new String(json, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ModelFormatException(
                    path + ": corrupt safetensors header: not valid JSON ("
                            + e.getMessage().lines().findFirst().orElse("") + ")",
                    e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(path + ": corrupt safetensors header: expected a JSON object");
        }
        long dataStart = 8 + headerLength;
        long dataSize = size - dataStart;
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (name.equals("__metadata__")) continue;
            tensors.put(name, parseEntry(path, name, e.getValue(), dataStart, dataSize));
        }
        return Collections.unmodifiableMap(tensors);
    }

    private static TensorInfo parseEntry(Path path, String name, JsonNode node, long dataStart, long dataSize) {
        String where = path + ": tensor " + name + ": ";
        JsonNode dtype = node.get("dtype");
        JsonNode shape = node.get("shape");
        JsonNode offsets = node.get("data_offsets");
        if (dtype == null
                || !dtype.isTextual()
                || shape == null
                || !shape.isArray()
                || offsets == null
                || !offsets.isArray()
                || offsets.size() != 2) {
            throw new ModelFormatException(where + "corrupt header entry: expected dtype, shape and two data_offsets");
        }
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = shape.get(i);
            if (!d.canConvertToLong() || d.asLong() < 0) {
                throw new ModelFormatException(where + "corrupt shape " + shape);
            }
            dims[i] = d.asLong();
        }
        if (!offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()) {
            throw new ModelFormatException(where + "corrupt data_offsets " + offsets);
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (begin < 0 || end < begin || end > dataSize) {
            throw new ModelFormatException(where + "data range [" + begin + ", " + end + ") lies outside the "
                    + dataSize + " data bytes of the file (truncated file?)");
        }
        int elementSize = elementSize(dtype.asText());
        if (elementSize > 0) {
            long count = 1;
            try {
                for (long d : dims) count = Math.multiplyExact(count, d);
                long expected = Math.multiplyExact(count, (long) elementSize);
                if (expected != end - begin) {
                    throw new ModelFormatException(where + "holds " + (end - begin) + " bytes, expected " + expected
                            + " for " + dtype.asText() + " " + java.util.Arrays.toString(dims));
                }
            } catch (ArithmeticException overflow) {
                throw new ModelFormatException(where + "corrupt shape " + shape);
            }
        }
        return new TensorInfo(name, dtype.asText(), dims, dataStart + begin, end - begin);
    }

    /** Bytes per element of a safetensors dtype, or 0 when unknown to this reader. */
    static int elementSize(String dtype) {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "U8", "I8", "BOOL", "F8_E4M3", "F8_E5M2", "F8_E8M0" -> 1;
            default -> 0;
        };
    }

    public Path path() {
        return path;
    }

    public MemorySegment segment() {
        return segment;
    }

    public Map<String, TensorInfo> tensors() {
        return tensors;
    }
}
