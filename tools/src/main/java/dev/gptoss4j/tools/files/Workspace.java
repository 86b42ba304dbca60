package dev.gptoss4j.tools.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A directory the model may read and change, and nothing outside it. Paths are relative to the root; absolute
 * paths, {@code ..} that climbs out, and symbolic links (of the file or of any parent directory) that lead outside
 * are refused with a {@link WorkspaceException} that says which path and why. Files are opened without following a
 * final symbolic link, so a link swapped in after the check is not followed.
 */
public final class Workspace {

    private final Path root;
    private final long maxReadBytes;

    /**
     * @param root         an existing directory
     * @param maxReadBytes the largest file {@link #read} returns
     */
    public Workspace(Path root, long maxReadBytes) {
        if (root == null) throw new IllegalArgumentException("a workspace needs a root directory");
        if (!Files.isDirectory(root))
            throw new IllegalArgumentException("workspace root " + root + " is not a directory");
        try {
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("workspace root " + root + " cannot be resolved", e);
        }
        if (maxReadBytes < 1) throw new IllegalArgumentException("max read bytes must be positive");
        this.maxReadBytes = maxReadBytes;
    }

    public Workspace(Path root) {
        this(root, 1024 * 1024);
    }

    public Path root() {
        return root;
    }

    /**
     * Where {@code path} is, checked to be inside the workspace: the real path of an existing file, or for a new one
     * its real parent plus the new names.
     */
    public Path resolve(String path) {
        if (path == null || path.isBlank()) throw new WorkspaceException("a path is required");
        if (path.indexOf('\0') >= 0) throw new WorkspaceException("path contains a NUL character");
        String p = path.strip();
        Path relative;
        try {
            relative = Path.of(p);
        } catch (InvalidPathException e) {
            throw new WorkspaceException("`" + p + "` is not a valid path: " + e.getReason());
        }
        if (relative.isAbsolute() || p.startsWith("/") || p.startsWith("\\") || p.startsWith("~")) {
            throw new WorkspaceException("`" + p + "` is an absolute path; give a path relative to the workspace");
        }
        Path target = root.resolve(relative).normalize();
        if (!target.startsWith(root)) throw new WorkspaceException("`" + p + "` leads outside the workspace");
        // walk down to the deepest part that exists and check where it really is (symbolic links resolved)
        Path existing = target;
        while (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) existing = existing.getParent();
        if (Files.isSymbolicLink(existing) && !Files.exists(existing)) {
            throw new WorkspaceException("`" + p + "` goes through a symbolic link whose target does not exist");
        }
        Path real;
        try {
            real = existing.toRealPath();
        } catch (IOException e) {
            throw new WorkspaceException("`" + p + "` cannot be resolved: " + e.getMessage());
        }
        if (!real.startsWith(root)) {
            throw new WorkspaceException("`" + p + "` leads outside the workspace through a symbolic link");
        }
        return real.resolve(existing.relativize(target));
    }

    /** The path shown to the model: relative to the root, with {@code /}. */
    public String relative(Path resolved) {
        String r = root.relativize(resolved).toString().replace('\\', '/');
        return r.isEmpty() ? "." : r;
    }

    /** A text file's content (UTF-8). */
    public String read(String path) {
        Path file = resolve(path);
        if (Files.isDirectory(file)) throw new WorkspaceException("`" + path + "` is a directory, not a file");
        if (!Files.exists(file)) throw new WorkspaceException("`" + path + "` does not exist");
        try {
            long size = Files.size(file);
            if (size > maxReadBytes) {
                throw new WorkspaceException("`" + path + "` is " + size + " bytes, more than the " + maxReadBytes
                        + " bytes that can be read");
            }
            byte[] bytes;
            try (var in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                bytes = in.readNBytes((int) maxReadBytes + 1);
            }
            for (byte b : bytes) if (b == 0) throw new WorkspaceException("`" + path + "` is a binary file");
            try {
                return StandardCharsets.UTF_8
                        .newDecoder()
                        .decode(java.nio.ByteBuffer.wrap(bytes))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new WorkspaceException("`" + path + "` is not UTF-8 text");
            }
        } catch (NoSuchFileException e) {
            throw new WorkspaceException("`" + path + "` does not exist");
        } catch (IOException e) {
            throw new WorkspaceException("`" + path + "` cannot be read: " + e.getMessage());
        }
    }

    public boolean exists(String path) {
        return Files.exists(resolve(path), LinkOption.NOFOLLOW_LINKS);
    }

    public boolean isFile(String path) {
        return Files.isRegularFile(resolve(path), LinkOption.NOFOLLOW_LINKS);
    }

    /** Writes a text file (UTF-8), creating parent directories inside the workspace. */
    public void write(String path, String content) {
        Path file = resolve(path);
        if (Files.isDirectory(file)) throw new WorkspaceException("`" + path + "` is a directory, not a file");
        try {
            Files.createDirectories(file.getParent());
            // the parents were created under a checked real path; check again in case a link appeared meanwhile
            if (!file.getParent().toRealPath().startsWith(root)) {
                throw new WorkspaceException("`" + path + "` leads outside the workspace through a symbolic link");
            }
            Files.writeString(
                    file,
                    content,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new WorkspaceException("`" + path + "` cannot be written: " + reason(e));
        }
    }

    /**
     * Checks that a file could be written at {@code path}: it is not a directory, and the nearest existing parent
     * is a directory (not a file that would have to become one).
     */
    public void checkWritable(String path) {
        Path file = resolve(path);
        if (Files.isDirectory(file)) throw new WorkspaceException("`" + path + "` is a directory, not a file");
        Path parent = file.getParent();
        while (parent != null && !Files.exists(parent, LinkOption.NOFOLLOW_LINKS)) parent = parent.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new WorkspaceException("`" + path + "` cannot be created: `" + relative(parent) + "` is a file");
        }
    }

    /** What is at {@code path} now, to put back later: a file's bytes, or its absence and missing parents. */
    Snapshot snapshot(String path) {
        Path file = resolve(path);
        try {
            byte[] bytes = Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? Files.readAllBytes(file) : null;
            List<Path> missing = new ArrayList<>();
            Path p = file.getParent();
            while (p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                missing.add(p);
                p = p.getParent();
            }
            return new Snapshot(file, bytes, missing);
        } catch (IOException e) {
            throw new WorkspaceException("`" + path + "` cannot be read to keep a copy: " + e.getMessage());
        }
    }

    /** A file as it was (bytes null: there was none) and the parent directories that did not exist yet. */
    record Snapshot(Path file, byte[] bytes, List<Path> missingParents) {

        /** Puts the file back as it was and removes the directories created since (when empty). */
        void restore() {
            try {
                if (bytes != null) {
                    Files.write(
                            file,
                            bytes,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.TRUNCATE_EXISTING,
                            StandardOpenOption.WRITE,
                            LinkOption.NOFOLLOW_LINKS);
                } else if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(file);
                }
                for (Path dir : missingParents) {
                    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
                            if (s.iterator().hasNext()) break;
                        }
                        Files.delete(dir);
                    }
                }
            } catch (IOException e) {
                throw new WorkspaceException("`" + file.getFileName() + "` could not be restored: " + reason(e));
            }
        }
    }

    /** Why a file operation failed, without the host's absolute path (the model knows the workspace path). */
    private static String reason(IOException e) {
        return e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null
                ? fse.getReason()
                : e.getClass()
                        .getSimpleName()
                        .replace("Exception", "")
                        .replaceAll("([a-z])([A-Z])", "$1 $2")
                        .toLowerCase(java.util.Locale.ROOT);
    }

    public void delete(String path) {
        Path file = resolve(path);
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new WorkspaceException("`" + path + "` is a directory; only files can be deleted");
        }
        try {
            Files.delete(file);
        } catch (NoSuchFileException e) {
            throw new WorkspaceException("`" + path + "` does not exist");
        } catch (IOException e) {
            throw new WorkspaceException("`" + path + "` cannot be deleted: " + e.getMessage());
        }
    }

    /**
     * The entries under a directory, sorted, directories ending in {@code /}, as paths relative to the root.
     *
     * @param recursive descend into subdirectories (not into symbolic links)
     * @param limit     the most entries listed
     */
    public List<String> list(String path, boolean recursive, int limit) {
        String p = path == null || path.isBlank() ? "." : path;
        Path dir = resolve(p);
        if (!Files.isDirectory(dir)) throw new WorkspaceException("`" + p + "` is not a directory");
        List<String> out = new ArrayList<>();
        list(dir, recursive, limit, out);
        return out;
    }

    private void list(Path dir, boolean recursive, int limit, List<String> out) {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(entries::add);
        } catch (IOException e) {
            throw new WorkspaceException("`" + relative(dir) + "` cannot be listed: " + e.getMessage());
        }
        entries.sort(null);
        for (Path e : entries) {
            if (out.size() >= limit) return;
            boolean isDir = Files.isDirectory(e, LinkOption.NOFOLLOW_LINKS);
            out.add(relative(e) + (isDir ? "/" : Files.isSymbolicLink(e) ? " (symbolic link)" : ""));
            if (recursive && isDir) list(e, true, limit, out);
        }
    }
}
