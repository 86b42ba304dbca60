package dev.gptoss4j.tools.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sequences of calls that each look cheap but made /mnt/data hold far more host memory than its quota: files
 * truncated after growing, growth by doubling, masses of empty files, long names and deep directories. Each is
 * refused with a clear error or costs nothing, and the host heap stays bounded by the quota.
 */
class QuotaAttackTest {

    private static final long QUOTA = 16L << 20;
    private static final long HEAP_MARGIN = 24L << 20;
    private static final Set<StandardOpenOption> CREATE = Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE);

    private final MemoryVolume volume = new MemoryVolume(QUOTA);
    private final SandboxFileSystem fs = new SandboxFileSystem(volume);
    private final long heapBefore = liveHeap();

    @AfterEach
    void theQuotaHeld() {
        assertTrue(volume.usedBytes() <= QUOTA, "charged " + volume.usedBytes());
        assertEquals(volume.heldBytes(), volume.usedBytes(), "the bookkeeping does not match what is held");
        long grown = liveHeap() - heapBefore;
        assertTrue(grown < QUOTA + HEAP_MARGIN, "the volume holds " + (grown >> 20) + " MiB of host heap");
    }

    private static long liveHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void truncateAndRewriteLoopsGiveTheCapacityBack() throws IOException {
        byte[] mib = new byte[1 << 20];
        // 200 files that each held 1 MiB and report 0 bytes: 200 MiB of host heap before capacity was counted.
        for (int i = 0; i < 200; i++) {
            try (SeekableByteChannel ch = fs.newByteChannel(Path.of("/mnt/data/f" + i), CREATE)) {
                ch.write(ByteBuffer.wrap(mib));
                ch.truncate(0);
            }
        }
        assertEquals(200, volume.entries());
        // The same file rewritten and truncated over and over.
        for (int i = 0; i < 100; i++) {
            try (SeekableByteChannel ch = fs.newByteChannel(
                    Path.of("/mnt/data/again"),
                    Set.of(
                            StandardOpenOption.WRITE,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.TRUNCATE_EXISTING))) {
                ch.write(ByteBuffer.wrap(mib));
            }
        }
    }

    @Test
    void growthByDoublingIsChargedAndStopsAtTheQuota() throws IOException {
        byte[] kib = new byte[1024];
        long written = 0;
        IOException refused = null;
        try (SeekableByteChannel ch = fs.newByteChannel(Path.of("/mnt/data/grow"), CREATE)) {
            while (written < 2 * QUOTA) {
                ch.write(ByteBuffer.wrap(kib));
                written += kib.length;
            }
        } catch (IOException e) {
            refused = e;
        }
        assertTrue(
                refused != null && refused.getMessage().contains("No space left on device"), String.valueOf(refused));
        // Doubling is given up near the quota rather than refusing early: almost all of it is usable.
        assertTrue(written > QUOTA - (64 << 10), "only " + written + " bytes were accepted");
        fs.delete(Path.of("/mnt/data/grow"));
        assertEquals(0, volume.usedBytes());
        // A write far past the end does not sneak around the charge either.
        try (SeekableByteChannel ch = fs.newByteChannel(Path.of("/mnt/data/sparse"), CREATE)) {
            ch.position(1L << 30);
            IOException e = assertThrows(IOException.class, () -> ch.write(ByteBuffer.wrap(kib)));
            assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        }
    }

    @Test
    void manyEmptyFilesAreCountedAndCapped() throws IOException {
        IOException refused = null;
        int created = 0;
        try {
            for (; created < 1_000_000; created++) {
                fs.newByteChannel(Path.of("/mnt/data/e" + created), CREATE).close();
            }
        } catch (IOException e) {
            refused = e;
        }
        assertEquals(MemoryVolume.DEFAULT_MAX_ENTRIES, created);
        assertTrue(
                refused.getMessage()
                        .contains("No space left on device (/mnt/data holds at most 10000 files and " + "directories)"),
                refused.getMessage());
        // Deleting makes room again.
        fs.delete(Path.of("/mnt/data/e0"));
        fs.createDirectory(Path.of("/mnt/data/d"));
    }

    @Test
    void longNamesAndDeepDirectoriesAreCappedAndCharged() throws IOException {
        IOException name = assertThrows(
                IOException.class, () -> fs.newByteChannel(Path.of("/mnt/data/" + "n".repeat(256)), CREATE));
        assertTrue(name.getMessage().contains("File name too long (names hold at most 255 bytes)"), name.getMessage());
        // 128 two-byte characters are 256 bytes of UTF-8.
        assertThrows(IOException.class, () -> fs.createDirectory(Path.of("/mnt/data/" + "é".repeat(128))));

        String dir = "/mnt/data";
        IOException deep = null;
        int depth = 0;
        try {
            for (; depth < 100_000; depth++) {
                dir = dir + "/dd";
                fs.createDirectory(Path.of(dir));
            }
        } catch (IOException e) {
            deep = e;
        }
        assertTrue(
                deep.getMessage().contains("File name too long (paths below /mnt/data hold at most 4096 bytes)"),
                deep.getMessage());
        assertTrue(depth < 4096 / 3 + 1, "depth " + depth);
        // Each level's whole path is held in memory, so it is charged: the 1365 levels cost their paths.
        assertTrue(volume.usedBytes() > (long) depth * depth * 3, "charged " + volume.usedBytes());

        // Renaming a directory to a longer name re-charges every path below it, and may not exceed the limit.
        IOException moved = assertThrows(
                IOException.class, () -> fs.move(Path.of("/mnt/data/dd"), Path.of("/mnt/data/" + "m".repeat(200))));
        assertTrue(moved.getMessage().contains("File name too long"), moved.getMessage());
    }

    @Test
    void aFileDeletedWhileOpenGivesItsBytesBackWhenClosed() throws IOException {
        SeekableByteChannel ch = fs.newByteChannel(Path.of("/mnt/data/tmp"), CREATE);
        ch.write(ByteBuffer.wrap(new byte[1 << 20]));
        fs.delete(Path.of("/mnt/data/tmp"));
        ch.write(ByteBuffer.wrap(new byte[1 << 20])); // still usable, as on POSIX, and still charged
        assertTrue(volume.usedBytes() >= 2 << 20, "charged " + volume.usedBytes());
        ch.close();
        assertEquals(0, volume.usedBytes());
    }

    @Test
    void aRefusedRenameLeavesBothSidesAsTheyWere() throws IOException {
        // A tree whose deepest path (3857 bytes) fits under "s" but not under a 250-byte name.
        String dir = "/mnt/data/s";
        fs.createDirectory(Path.of(dir));
        for (int i = 0; i < 16; i++) {
            dir = dir + "/" + "n".repeat(240);
            fs.createDirectory(Path.of(dir));
        }
        String target = "/mnt/data/" + "t".repeat(250);
        try (SeekableByteChannel ch = fs.newByteChannel(Path.of(target), CREATE)) {
            ch.write(ByteBuffer.wrap("kept".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        IOException e = assertThrows(
                IOException.class,
                () -> fs.move(
                        Path.of("/mnt/data/s"), Path.of(target), java.nio.file.StandardCopyOption.REPLACE_EXISTING));
        assertTrue(e.getMessage().contains("File name too long"), e.getMessage());
        assertEquals(
                "kept",
                new String(
                        volume.readFile(target.substring("/mnt/data/".length())).orElseThrow(),
                        java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(volume.get(dir.substring("/mnt/data/".length())) != null, "the tree moved part-way");
    }
}
