package dev.gptoss4j.tools.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The in-memory /mnt/data without any guest language: plain host calls against the polyglot FileSystem API. */
class SandboxFileSystemTest {

    private final MemoryVolume volume = new MemoryVolume(2000);
    private final SandboxFileSystem fs = new SandboxFileSystem(volume);

    private void write(String path, String text, StandardOpenOption... extra) throws IOException {
        Set<StandardOpenOption> opts =
                new java.util.HashSet<>(List.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE));
        opts.addAll(List.of(extra));
        try (SeekableByteChannel ch = fs.newByteChannel(Path.of(path), opts)) {
            ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private String read(String path) throws IOException {
        try (SeekableByteChannel ch = fs.newByteChannel(Path.of(path), Set.of(StandardOpenOption.READ))) {
            ByteBuffer buf = ByteBuffer.allocate((int) ch.size());
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // keep reading
            }
            return new String(buf.array(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void filesWrittenByTheGuestAreReadableByTheHost() throws IOException {
        fs.createDirectory(Path.of("/mnt/data/out"));
        write("/mnt/data/out/a.txt", "hello");
        write("b.txt", "relative to the working directory /mnt/data");
        Map<String, byte[]> files = volume.snapshot();
        assertEquals(List.of("/mnt/data/b.txt", "/mnt/data/out/a.txt"), new ArrayList<>(files.keySet()));
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), files.get("/mnt/data/out/a.txt"));
        assertEquals("relative to the working directory /mnt/data", read("/mnt/data/b.txt"));
    }

    @Test
    void appendTruncateAndOverwriteBehaveLikeAFile() throws IOException {
        write("/mnt/data/log", "one ");
        write("/mnt/data/log", "two", StandardOpenOption.APPEND);
        assertEquals("one two", read("/mnt/data/log"));
        write("/mnt/data/log", "X");
        assertEquals("Xne two", read("/mnt/data/log"));
        write("/mnt/data/log", "new", StandardOpenOption.TRUNCATE_EXISTING);
        assertEquals("new", read("/mnt/data/log"));
        // The truncation gave the grown capacity back: the charge is the entry, its path and 3 bytes.
        assertEquals(MemoryVolume.ENTRY_COST + 2 * "log".length() + 3, volume.usedBytes());
        assertEquals(volume.heldBytes(), volume.usedBytes());
    }

    @Test
    void everythingOutsideMntDataIsDenied() {
        assertThrows(AccessDeniedException.class, () -> read("/etc/passwd"));
        assertThrows(AccessDeniedException.class, () -> write("/tmp/x", "x"));
        assertThrows(AccessDeniedException.class, () -> write("/mnt/data/../../etc/x", "x"));
        assertThrows(AccessDeniedException.class, () -> fs.checkAccess(Path.of("/home"), Set.of()));
        assertThrows(AccessDeniedException.class, () -> fs.createDirectory(Path.of("/mnt/other")));
        assertThrows(AccessDeniedException.class, () -> fs.checkAccess(Path.of("/mnt"), Set.of(AccessMode.WRITE)));
    }

    @Test
    void rootAndMntListOnlyTheWayDown() throws IOException {
        List<Path> seen = new ArrayList<>();
        try (DirectoryStream<Path> ds = fs.newDirectoryStream(Path.of("/"), p -> true)) {
            ds.forEach(seen::add);
        }
        assertEquals(List.of(Path.of("/mnt")), seen);
        fs.checkAccess(Path.of("/mnt/data"), Set.of(AccessMode.READ, AccessMode.WRITE));
    }

    @Test
    void quotaStopsWritesWithANoSpaceError() throws IOException {
        write("/mnt/data/big", "x".repeat(1500));
        IOException e = assertThrows(IOException.class, () -> write("/mnt/data/more", "y".repeat(200)));
        assertTrue(e.getMessage().contains("No space left"), e.getMessage());
        fs.delete(Path.of("/mnt/data/big"));
        write("/mnt/data/more", "y".repeat(200));
        assertEquals(MemoryVolume.ENTRY_COST + 2 * "more".length() + 200, volume.usedBytes());
    }

    @Test
    void moveDeleteAndMissingFiles() throws IOException {
        fs.createDirectory(Path.of("/mnt/data/d"));
        write("/mnt/data/d/f", "data");
        assertThrows(DirectoryNotEmptyException.class, () -> fs.delete(Path.of("/mnt/data/d")));
        fs.move(Path.of("/mnt/data/d"), Path.of("/mnt/data/e"));
        assertEquals("data", read("/mnt/data/e/f"));
        assertThrows(NoSuchFileException.class, () -> read("/mnt/data/d/f"));
        assertFalse(volume.readFile("d/f").isPresent());
        assertThrows(java.io.IOException.class, () -> fs.delete(Path.of("/mnt/data")));
    }
}
