package dev.gptoss4j.tools.sandbox;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
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
 * The bytes behind a session's {@code /mnt/data}: a tree held in host memory with a size quota.
 * It belongs to the session, not to a guest context, so files survive when a runaway call forces
 * the context to be replaced. Paths here are relative to {@code /mnt/data} ("" is the root) and
 * already normalised by {@link SandboxFileSystem}. All mutation happens under the volume's lock.
 */
final class MemoryVolume {

    static final String MOUNT = "/mnt/data";
    private static final AtomicLong INODES = new AtomicLong(1000);

    sealed interface Node permits Dir, FileData {
        long inode();
        long modifiedMillis();
    }

    static final class Dir implements Node {
        private final long inode = INODES.incrementAndGet();
        long modified = System.currentTimeMillis();
        public long inode() { return inode; }
        public long modifiedMillis() { return modified; }
    }

    static final class FileData implements Node {
        private final long inode = INODES.incrementAndGet();
        byte[] bytes = new byte[0];
        int size;
        long modified = System.currentTimeMillis();
        public long inode() { return inode; }
        public long modifiedMillis() { return modified; }
    }

    private final long capacityBytes;
    private final TreeMap<String, Node> nodes = new TreeMap<>();
    private long usedBytes;

    MemoryVolume(long capacityBytes) {
        if (capacityBytes <= 0) {
            throw new IllegalArgumentException("file system capacity must be positive, got " + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
        nodes.put("", new Dir());
    }

    long capacityBytes() { return capacityBytes; }

    synchronized long usedBytes() { return usedBytes; }

    synchronized Node get(String rel) { return nodes.get(rel); }

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
        if (n instanceof FileData f) {
            usedBytes -= f.size;
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
        if (existing != null) {
            if (!replace) {
                throw new FileAlreadyExistsException(absolute(to));
            }
            delete(to);
        }
        // Move the node and, for a directory, everything below it.
        Map<String, Node> moved = new LinkedHashMap<>();
        moved.put(to, nodes.remove(from));
        if (n instanceof Dir) {
            for (String key : new ArrayList<>(nodes.subMap(from + "/", from + "/\uffff").keySet())) {
                moved.put(to + key.substring(from.length()), nodes.remove(key));
            }
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
        long growth = Math.max(0, end - f.size);
        if (usedBytes + growth > capacityBytes) {
            throw new IOException("No space left on device: " + MOUNT + " holds at most "
                    + capacityBytes + " bytes and " + usedBytes + " are in use");
        }
        if (end > f.bytes.length) {
            f.bytes = Arrays.copyOf(f.bytes, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(end, f.bytes.length * 2L)));
        }
        if (position > f.size) {
            Arrays.fill(f.bytes, f.size, (int) position, (byte) 0);
        }
        System.arraycopy(src, off, f.bytes, (int) position, len);
        usedBytes += growth;
        f.size = (int) Math.max(f.size, end);
        f.modified = System.currentTimeMillis();
    }

    synchronized void truncate(FileData f, long size) {
        if (size < f.size) {
            usedBytes -= f.size - size;
            f.size = (int) size;
            f.modified = System.currentTimeMillis();
        }
    }

    synchronized long size(FileData f) { return f.size; }

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
