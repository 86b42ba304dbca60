package dev.gptoss4j.engine.model.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A model file mapped read-only into an arena: weights are used in place, whatever their size. */
public final class MappedFile {

    private MappedFile() {}

    /**
     * Maps the whole of {@code path} (unmapped when {@code arena} closes).
     *
     * @param kind what the file should be, for the error message ("GGUF file", "safetensors file")
     */
    public static MemorySegment map(Path path, Arena arena, String kind) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
        } catch (IOException e) {
            throw new ModelFormatException(path + ": cannot read " + kind + ": " + e.getMessage(), e);
        }
    }
}
