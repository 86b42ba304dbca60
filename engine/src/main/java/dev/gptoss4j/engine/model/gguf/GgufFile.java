package dev.gptoss4j.engine.model.gguf;

import dev.gptoss4j.engine.model.io.MappedFile;
import dev.gptoss4j.engine.model.io.ModelFormatException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One memory-mapped GGUF file (versions 2 and 3): metadata key/values, tensor infos, and the aligned data
 * section. Every length and offset is checked against the file size as it is read.
 */
public final class GgufFile {

    /** ggml tensor type ids this engine knows. */
    public static final int TYPE_F32 = 0;

    public static final int TYPE_F16 = 1;
    public static final int TYPE_Q8_0 = 8;
    public static final int TYPE_BF16 = 30;
    public static final int TYPE_MXFP4 = 39;

    /**
     * A tensor entry. {@code dims} are in ggml order: {@code dims[0]} is the contiguous (column) dimension.
     * {@code offset} is absolute in the file; {@code byteSize} is -1 for types this reader does not know.
     */
    public record TensorInfo(String name, int type, long[] dims, long offset, long byteSize) {}

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final MemorySegment segment;
    private final Map<String, Object> metadata;
    private final Map<String, TensorInfo> tensors;

    private GgufFile(Path path, MemorySegment segment, Map<String, Object> metadata, Map<String, TensorInfo> tensors) {
        this.path = path;
        this.segment = segment;
        this.metadata = metadata;
        this.tensors = tensors;
    }

    public static GgufFile open(Path path, Arena arena) {
        MemorySegment seg = MappedFile.map(path, arena, "GGUF file");
        Reader r = new Reader(path, seg);
        if (seg.byteSize() < 4 || seg.get(U32, 0) != 0x46554747) {
            throw new ModelFormatException(path + ": not a GGUF file (expected the magic bytes \"GGUF\")");
        }
        r.pos = 4;
        int version = r.u32("version");
        if (version != 2 && version != 3) {
            throw new ModelFormatException(path + ": unsupported GGUF version " + version + ", expected 2 or 3");
        }
        long tensorCount = r.u64("tensor count");
        long kvCount = r.u64("metadata count");
        // every entry takes at least a few bytes: reject counts the file cannot hold before looping
        if (tensorCount < 0 || kvCount < 0 || tensorCount > seg.byteSize() / 8 || kvCount > seg.byteSize() / 8) {
            throw new ModelFormatException(path + ": corrupt GGUF header: " + tensorCount + " tensors and " + kvCount
                    + " metadata entries cannot fit in " + seg.byteSize() + " bytes");
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = r.string("metadata key #" + i);
            int type = r.u32("type of metadata " + key);
            metadata.put(key, r.value(type, key, 0));
        }
        long alignment = 32;
        if (metadata.get("general.alignment") instanceof Number a) {
            alignment = a.longValue();
            if (alignment <= 0 || Long.bitCount(alignment) != 1) {
                throw new ModelFormatException(path + ": general.alignment " + alignment + " is not a power of two");
            }
        }
        List<TensorInfo> raw = new ArrayList<>();
        for (long i = 0; i < tensorCount; i++) {
            String name = r.string("tensor name #" + i);
            int nDims = r.u32("dimension count of tensor " + name);
            if (nDims < 1 || nDims > 4) {
                throw new ModelFormatException(path + ": tensor " + name + ": corrupt dimension count " + nDims);
            }
            long[] dims = new long[nDims];
            for (int d = 0; d < nDims; d++) {
                dims[d] = r.u64("dimension of tensor " + name);
                if (dims[d] < 0) throw new ModelFormatException(path + ": tensor " + name + ": negative dimension");
            }
            int type = r.u32("type of tensor " + name);
            long offset = r.u64("offset of tensor " + name);
            raw.add(new TensorInfo(name, type, dims, offset, byteSize(path, name, type, dims)));
        }
        long dataStart = (r.pos + alignment - 1) / alignment * alignment;
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (TensorInfo t : raw) {
            long size = t.byteSize() < 0 ? 0 : t.byteSize();
            if (t.offset() < 0
                    || dataStart + t.offset() < dataStart
                    || dataStart + t.offset() > seg.byteSize() - size) {
                throw new ModelFormatException(path + ": tensor " + t.name() + " at data offset " + t.offset() + " (+"
                        + size + " bytes) lies outside the " + seg.byteSize() + "-byte file (truncated file?)");
            }
            tensors.put(t.name(), new TensorInfo(t.name(), t.type(), t.dims(), dataStart + t.offset(), t.byteSize()));
        }
        return new GgufFile(path, seg, Collections.unmodifiableMap(metadata), Collections.unmodifiableMap(tensors));
    }

    private static long byteSize(Path path, String name, int type, long[] dims) {
        long blockSize;
        long blockBytes;
        switch (type) {
            case TYPE_F32 -> {
                blockSize = 1;
                blockBytes = 4;
            }
            case TYPE_F16, TYPE_BF16 -> {
                blockSize = 1;
                blockBytes = 2;
            }
            case TYPE_Q8_0 -> {
                blockSize = 32;
                blockBytes = 34;
            }
            case TYPE_MXFP4 -> {
                blockSize = 32;
                blockBytes = 17;
            }
            default -> {
                return -1;
            }
        }
        if (dims[0] % blockSize != 0) {
            throw new ModelFormatException(path + ": tensor " + name + ": first dimension " + dims[0]
                    + " is not a multiple of the block size " + blockSize + " of its type " + typeName(type));
        }
        try {
            long n = dims[0] / blockSize * blockBytes;
            for (int i = 1; i < dims.length; i++) n = Math.multiplyExact(n, dims[i]);
            return n;
        } catch (ArithmeticException e) {
            throw new ModelFormatException(path + ": tensor " + name + ": corrupt dimensions " + Arrays.toString(dims));
        }
    }

    public static String typeName(int type) {
        return switch (type) {
            case TYPE_F32 -> "F32";
            case TYPE_F16 -> "F16";
            case TYPE_Q8_0 -> "Q8_0";
            case TYPE_BF16 -> "BF16";
            case TYPE_MXFP4 -> "MXFP4";
            default -> "ggml type " + type;
        };
    }

    /** Bounds-checked little-endian cursor over the header. */
    private static final class Reader {
        final Path path;
        final MemorySegment seg;
        long pos;

        Reader(Path path, MemorySegment seg) {
            this.path = path;
            this.seg = seg;
        }

        private void need(long n, String what) {
            if (n < 0 || pos > seg.byteSize() - n) {
                throw new ModelFormatException(path + ": truncated or corrupt GGUF header while reading " + what
                        + " at byte " + pos + " (file has " + seg.byteSize() + " bytes)");
            }
        }

        int u32(String what) {
            need(4, what);
            int v = seg.get(U32, pos);
            pos += 4;
            return v;
        }

        long u64(String what) {
            need(8, what);
            long v = seg.get(U64, pos);
            pos += 8;
            return v;
        }

        String string(String what) {
            long n = u64(what);
            need(n, what);
            if (n > Integer.MAX_VALUE) throw new ModelFormatException(path + ": corrupt string length for " + what);
            String s = new String(seg.asSlice(pos, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        Object value(int type, String key, int depth) {
            return switch (type) {
                case 0 -> {
                    need(1, key);
                    yield (int) (seg.get(ValueLayout.JAVA_BYTE, pos++) & 0xFF);
                }
                case 1 -> {
                    need(1, key);
                    yield (int) seg.get(ValueLayout.JAVA_BYTE, pos++);
                }
                case 2 -> {
                    need(2, key);
                    int v = seg.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), pos) & 0xFFFF;
                    pos += 2;
                    yield v;
                }
                case 3 -> {
                    need(2, key);
                    int v = seg.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), pos);
                    pos += 2;
                    yield v;
                }
                case 4 -> Integer.toUnsignedLong(u32(key));
                case 5 -> u32(key);
                case 6 -> Float.intBitsToFloat(u32(key));
                case 7 -> {
                    need(1, key);
                    yield seg.get(ValueLayout.JAVA_BYTE, pos++) != 0;
                }
                case 8 -> string(key);
                case 9 -> {
                    if (depth > 2)
                        throw new ModelFormatException(path + ": metadata " + key + ": arrays nested too deep");
                    int elementType = u32(key);
                    long count = u64(key);
                    if (count < 0 || count > seg.byteSize() - pos) {
                        throw new ModelFormatException(path + ": metadata " + key + ": corrupt array length " + count);
                    }
                    List<Object> list = new ArrayList<>((int) Math.min(count, 1 << 20));
                    for (long i = 0; i < count; i++) list.add(value(elementType, key, depth + 1));
                    yield Collections.unmodifiableList(list);
                }
                case 10, 11 -> u64(key);
                case 12 -> Double.longBitsToDouble(u64(key));
                default -> throw new ModelFormatException(path + ": metadata " + key + ": unknown value type " + type);
            };
        }
    }

    public Path path() {
        return path;
    }

    public MemorySegment segment() {
        return segment;
    }

    public Map<String, Object> metadata() {
        return metadata;
    }

    public Map<String, TensorInfo> tensors() {
        return tensors;
    }
}
