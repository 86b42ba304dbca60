package dev.gptoss4j.tools.sandbox;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes behind a session's {@code /mnt/data}: a tree held in host memory with a quota. It
 * belongs to the session, not to a guest context, so files survive when a runaway call forces the
 * context to be replaced. Paths here are relative to {@code /mnt/data} ("" is the root) and already
 * normalised by {@link SandboxFileSystem}. All mutation happens under the volume's lock.
 *
 * <p>The quota is on what the volume holds in host memory, not on what the files report: every
 * file's allocated capacity (a truncated file gives back what it no longer uses, and growth beyond
 * the quota is refused even when doubling would have been cheaper), plus a fixed cost per file or
 * directory and the bytes of its path. The number of entries and the length of names and paths are
 * capped as well, so that no sequence of calls holds more host memory than the quota allows.
 */
final class MemoryVolume {

    static final String MOUNT = "/mnt/data";
    /** Host memory charged per file or directory beyond its path and contents (map entry, node, bookkeeping). */
    static final int ENTRY_COST = 160;
    /** Longest name of one file or directory, in UTF-8 bytes (POSIX NAME_MAX). */
    static final int MAX_NAME_BYTES = 255;
    /** Longest path below the mount, in UTF-8 bytes (POSIX PATH_MAX). */
    static final int MAX_PATH_BYTES = 4096;
    /** Most files and directories a volume holds, whatever the quota. */
    static final int DEFAULT_MAX_ENTRIES = 10_000;

    private static final AtomicLong INODES = new AtomicLong(1000);

    sealed interface Node permits Dir, FileData {
        long inode();

        long modifiedMillis();
    }

    static final class Dir implements Node {
        private final long inode = INODES.incrementAndGet();
        long modified = System.currentTimeMillis();

        public long inode() {
            return inode;
        }

        public long modifiedMillis() {
            return modified;
        }
    }

    static final class FileData implements Node {
        private final long inode = INODES.incrementAndGet();
        byte[] bytes = new byte[0];
        int size;
        /** Deleted; while channels still have it open (as POSIX allows) its bytes stay charged. */
        boolean unlinked;

        int openChannels;
        long modified = System.currentTimeMillis();

        public long inode() {
            return inode;
        }

        public long modifiedMillis() {
            return modified;
        }
    }

    private final long capacityBytes;
    private final int maxEntries;
    private final TreeMap<String, Node> nodes = new TreeMap<>();
    /** Host memory charged: file capacities plus each entry's cost and path; never above capacityBytes. */
    private long usedBytes;

    MemoryVolume(long capacityBytes) {
        this(capacityBytes, DEFAULT_MAX_ENTRIES);
    }

    MemoryVolume(long capacityBytes, int maxEntries) {
        if (capacityBytes <= 0) {
            throw new IllegalArgumentException("file system capacity must be positive, got " + capacityBytes);
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive, got " + maxEntries);
        }
        this.capacityBytes = capacityBytes;
        this.maxEntries = maxEntries;
        nodes.put("", new Dir());
    }

    /** Entries (files and directories) in the volume, the mount point not counted. */
    synchronized int entries() {
        return nodes.size() - 1;
    }

    /** What an entry at rel costs besides its contents: the fixed cost and its path as a Java string. */
    private static long entryCost(String rel) {
        return ENTRY_COST + 2L * rel.length();
    }

    private IOException noSpace(String rel, String why) {
        return new FileSystemException(absolute(rel), null, "No space left on device (" + MOUNT + " " + why + ")");
    }

    /** Refuses a name or a path below the mount longer than POSIX allows. */
    private static void checkLength(String rel, boolean checkName) throws IOException {
        if (checkName && utf8Length(rel.substring(rel.lastIndexOf('/') + 1)) > MAX_NAME_BYTES) {
            throw new FileSystemException(
                    absolute(rel), null, "File name too long (names hold at most " + MAX_NAME_BYTES + " bytes)");
        }
        if (utf8Length(rel) > MAX_PATH_BYTES) {
            throw new FileSystemException(
                    absolute(rel),
                    null,
                    "File name too long (paths below " + MOUNT + " hold at most " + MAX_PATH_BYTES + " bytes)");
        }
    }

    /** Refuses a new entry at rel that would break a name, path, count or size limit; charges it otherwise. */
    private void admit(String rel) throws IOException {
        checkLength(rel, true);
        if (entries() >= maxEntries) {
            throw noSpace(rel, "holds at most " + maxEntries + " files and directories");
        }
        charge(rel, entryCost(rel));
    }

    /** Adds bytes to the charge, or refuses when the quota would be exceeded. */
    private void charge(String rel, long bytes) throws IOException {
        if (bytes > 0 && usedBytes + bytes > capacityBytes) {
            throw noSpace(
                    rel,
                    "holds at most " + capacityBytes + " bytes, counting file contents, names and " + ENTRY_COST
                            + " bytes per entry; " + usedBytes + " are in use");
        }
        usedBytes += bytes;
    }

    private static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    long capacityBytes() {
        return capacityBytes;
    }

    synchronized long usedBytes() {
        return usedBytes;
    }

    synchronized Node get(String rel) {
        return nodes.get(rel);
    }

    synchronized Node require(String rel) throws NoSuchFileException {
        Node n = nodes.get(rel);
        if (n == null) {
            throw new NoSuchFileException(absolute(rel));
        }
        return n;
    }

    synchronized Dir createDirectory(String rel) throws IOException {
        requireParentDir(rel);
        if (nodes.containsKey(rel)) {
            throw new FileAlreadyExistsException(absolute(rel));
        }
        admit(rel);
        Dir d = new Dir();
        nodes.put(rel, d);
        touchParent(rel);
        return d;
    }

    /** The file at rel, created empty when absent and {@code create} is set. */
    synchronized FileData openFile(String rel, boolean create, boolean createNew) throws IOException {
        Node n = nodes.get(rel);
        if (n instanceof Dir) {
            throw new IOException(absolute(rel) + ": is a directory");
        }
        if (n != null) {
            if (createNew) {
                throw new FileAlreadyExistsException(absolute(rel));
            }
            return (FileData) n;
        }
        if (!create) {
            throw new NoSuchFileException(absolute(rel));
        }
        requireParentDir(rel);
        admit(rel);
        FileData f = new FileData();
        nodes.put(rel, f);
        touchParent(rel);
        return f;
    }

    synchronized void delete(String rel) throws IOException {
        if (rel.isEmpty()) {
            throw new IOException(MOUNT + ": the mount point cannot be deleted");
        }
        Node n = require(rel);
        if (n instanceof Dir && !children(rel).isEmpty()) {
            throw new DirectoryNotEmptyException(absolute(rel));
        }
        nodes.remove(rel);
        usedBytes -= entryCost(rel);
        if (n instanceof FileData f) {
            f.unlinked = true;
            release(f);
        }
        touchParent(rel);
    }

    synchronized void move(String from, String to, boolean replace) throws IOException {
        Node n = require(from);
        if (from.isEmpty() || to.isEmpty()) {
            throw new IOException(MOUNT + ": the mount point cannot be moved");
        }
        if (to.equals(from)) {
            return;
        }
        if (to.startsWith(from + "/")) {
            throw new IOException("cannot move " + absolute(from) + " into itself");
        }
        requireParentDir(to);
        Node existing = nodes.get(to);
        if (existing != null && !replace) {
            throw new FileAlreadyExistsException(absolute(to));
        }
        // Move the node and, for a directory, everything below it; the paths, and so their cost, change. All is
        // checked before anything changes, so a refused move leaves both sides as they were.
        List<String> keys = new ArrayList<>();
        keys.add(from);
        if (n instanceof Dir) {
            keys.addAll(nodes.subMap(from + "/", from + "/\uffff").keySet());
        }
        checkLength(to, true);
        long delta = 0;
        for (String key : keys) {
            String target = to + key.substring(from.length());
            checkLength(target, false);
            delta += entryCost(target) - entryCost(key);
        }
        long freed = existing == null
                ? 0
                : entryCost(to) + (existing instanceof FileData f && f.openChannels <= 0 ? f.bytes.length : 0);
        if (delta > freed) {
            charge(to, delta - freed); // refuses when it does not fit
            usedBytes -= delta - freed;
        }
        if (existing != null) {
            delete(to); // a directory that is not empty is refused here, still before any change
        }
        usedBytes += delta;
        Map<String, Node> moved = new LinkedHashMap<>();
        for (String key : keys) {
            moved.put(to + key.substring(from.length()), nodes.remove(key));
        }
        nodes.putAll(moved);
        touchParent(from);
        touchParent(to);
    }

    /** Names (not paths) of the entries directly inside the directory rel. */
    synchronized List<String> children(String rel) throws IOException {
        Node n = require(rel);
        if (!(n instanceof Dir)) {
            throw new NotDirectoryException(absolute(rel));
        }
        String prefix = rel.isEmpty() ? "" : rel + "/";
        List<String> names = new ArrayList<>();
        for (String key : nodes.tailMap(prefix, false).keySet()) {
            if (!key.startsWith(prefix)) {
                break;
            }
            String rest = key.substring(prefix.length());
            if (!rest.isEmpty() && rest.indexOf('/') < 0) {
                names.add(rest);
            }
        }
        return names;
    }

    // ---- file contents (called by MemoryFileChannel) ----

    synchronized int read(FileData f, long position, byte[] dst, int off, int len) {
        if (position >= f.size) {
            return -1;
        }
        int n = (int) Math.min(len, f.size - position);
        System.arraycopy(f.bytes, (int) position, dst, off, n);
        return n;
    }

    synchronized void write(FileData f, long position, byte[] src, int off, int len) throws IOException {
        long end = position + len;
        if (end > Integer.MAX_VALUE - 16) {
            throw new IOException("File too large: a file in " + MOUNT + " holds at most 2 GB");
        }
        if (end > f.bytes.length) {
            // Grow by doubling, but never past the quota: near it, take what room is left (growing by each write's
            // few bytes would copy the file once per write), and refuse only what cannot fit at all.
            long room = capacityBytes - usedBytes + f.bytes.length;
            long doubled = Math.min(Integer.MAX_VALUE - 16, Math.max(end, f.bytes.length * 2L));
            long grown = Math.max(end, Math.min(doubled, room));
            long growth = grown - f.bytes.length;
            if (usedBytes + growth > capacityBytes) {
                charge(pathOf(f), growth); // refuses, naming the file
            }
            usedBytes += growth;
            f.bytes = Arrays.copyOf(f.bytes, (int) grown);
        }
        if (position > f.size) {
            Arrays.fill(f.bytes, f.size, (int) position, (byte) 0);
        }
        System.arraycopy(src, off, f.bytes, (int) position, len);
        f.size = (int) Math.max(f.size, end);
        f.modified = System.currentTimeMillis();
    }

    /** Where a file is (for error messages); "" when it was deleted meanwhile. */
    private String pathOf(FileData f) {
        for (Map.Entry<String, Node> e : nodes.entrySet()) {
            if (e.getValue() == f) {
                return e.getKey();
            }
        }
        return "";
    }

    /** Shrinks the file; capacity it no longer needs (more than half) goes back to the host and the quota. */
    synchronized void truncate(FileData f, long size) {
        if (size < f.size) {
            f.size = (int) size;
            f.modified = System.currentTimeMillis();
        }
        if (f.size < f.bytes.length / 2) {
            usedBytes -= f.bytes.length - f.size;
            f.bytes = Arrays.copyOf(f.bytes, f.size);
        }
    }

    synchronized long size(FileData f) {
        return f.size;
    }

    synchronized void opened(FileData f) {
        f.openChannels++;
    }

    /** A channel on f closed: a file deleted while open gives its bytes back with its last channel. */
    synchronized void closed(FileData f) {
        f.openChannels--;
        release(f);
    }

    private void release(FileData f) {
        if (f.unlinked && f.openChannels <= 0 && f.bytes.length > 0) {
            usedBytes -= f.bytes.length;
            f.bytes = new byte[0];
            f.size = 0;
        }
    }

    /**
     * Host memory the volume holds, counted from the tree itself (what the quota's bookkeeping must match while no
     * deleted file is still open).
     */
    synchronized long heldBytes() {
        long held = 0;
        for (Map.Entry<String, Node> e : nodes.entrySet()) {
            if (!e.getKey().isEmpty()) {
                held += entryCost(e.getKey());
            }
            if (e.getValue() instanceof FileData f) {
                held += f.bytes.length;
            }
        }
        return held;
    }

    // ---- host side ----

    synchronized Map<String, byte[]> snapshot() {
        Map<String, byte[]> out = new LinkedHashMap<>();
        nodes.forEach((rel, n) -> {
            if (n instanceof FileData f) {
                out.put(absolute(rel), Arrays.copyOf(f.bytes, f.size));
            }
        });
        return out;
    }

    synchronized Optional<byte[]> readFile(String rel) {
        return nodes.get(rel) instanceof FileData f ? Optional.of(Arrays.copyOf(f.bytes, f.size)) : Optional.empty();
    }

    /** Host upload: creates missing parent directories and replaces any existing file. */
    synchronized void writeFile(String rel, byte[] content) throws IOException {
        if (rel.isEmpty()) {
            throw new IOException(MOUNT + " is a directory");
        }
        int slash = rel.lastIndexOf('/');
        if (slash > 0) {
            String dir = rel.substring(0, slash);
            StringBuilder sb = new StringBuilder();
            for (String part : dir.split("/")) {
                if (!sb.isEmpty()) {
                    sb.append('/');
                }
                sb.append(part);
                Node n = nodes.get(sb.toString());
                if (n == null) {
                    createDirectory(sb.toString());
                } else if (!(n instanceof Dir)) {
                    throw new NotDirectoryException(absolute(sb.toString()));
                }
            }
        }
        FileData f = openFile(rel, true, false);
        truncate(f, 0);
        write(f, 0, content, 0, content.length);
    }

    static String absolute(String rel) {
        return rel.isEmpty() ? MOUNT : MOUNT + "/" + rel;
    }

    private void requireParentDir(String rel) throws IOException {
        String parent = parentOf(rel);
        Node p = nodes.get(parent);
        if (p == null) {
            throw new NoSuchFileException(absolute(parent));
        }
        if (!(p instanceof Dir)) {
            throw new NotDirectoryException(absolute(parent));
        }
    }

    private void touchParent(String rel) {
        if (nodes.get(parentOf(rel)) instanceof Dir d) {
            d.modified = System.currentTimeMillis();
        }
    }

    private static String parentOf(String rel) {
        int slash = rel.lastIndexOf('/');
        return slash < 0 ? "" : rel.substring(0, slash);
    }
}
