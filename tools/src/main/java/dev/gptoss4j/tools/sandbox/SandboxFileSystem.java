package dev.gptoss4j.tools.sandbox;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.graalvm.polyglot.io.FileSystem;

/**
 * The in-memory part of what guest code sees as the file system: {@code /}, {@code /mnt} (read-only,
 * empty but for the way down) and {@code /mnt/data}, which is the session's {@link MemoryVolume}.
 * {@link #guestView()} composes it with a read-only view of the language's own files (its home
 * with the standard library, and its internal resources); nothing else of the real disk is
 * reachable, and nothing on it can be changed.
 *
 * <p>The volume is swappable because contexts are built ahead of time by the pool, before the
 * session that will own them (and its files) exists.
 */
final class SandboxFileSystem implements FileSystem {

    private static final Path ROOT = Path.of("/");
    private static final Path MNT = Path.of("/mnt");
    private static final Path MOUNT = Path.of(MemoryVolume.MOUNT);
    private static final Set<PosixFilePermission> DIR_PERMS = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> FILE_PERMS = PosixFilePermissions.fromString("rw-r--r--");
    private static final Principal OWNER = new Principal("sandbox");

    private record Principal(String getName) implements GroupPrincipal {}

    private volatile MemoryVolume volume;
    private volatile Path cwd = MOUNT;

    SandboxFileSystem(MemoryVolume volume) {
        this.volume = volume;
    }

    void attach(MemoryVolume volume) {
        this.volume = volume;
        this.cwd = MOUNT;
    }

    /**
     * Cuts a cancelled context off from the session's files: a guest thread that is still finishing a host
     * operation must not reach them afterwards, whether through a path or through a file it already has open.
     */
    void detach() {
        this.volume = null;
    }

    /** The attached volume; a detached context finds nothing and can change nothing. */
    private MemoryVolume v() throws IOException {
        MemoryVolume v = volume;
        if (v == null) {
            throw new AccessDeniedException(MemoryVolume.MOUNT, null, "this sandbox context was stopped");
        }
        return v;
    }

    /** The attached volume, or null once detached. */
    MemoryVolume volume() {
        return volume;
    }

    /**
     * The file system a context gets: this one for {@code /}, {@code /mnt} and {@code /mnt/data}, and for every
     * other path the language's home and internal resources behind Polyglot's read-only file system (the home
     * and resource decorators alone pass writes through to the host cache, where one run could plant code that a
     * later run imports). Paths that are neither are refused by the deny-all file system at the bottom. Renames
     * inside the volume come here through {@link GuestFileSystem}.
     */
    FileSystem guestView() {
        FileSystem languageFiles = FileSystem.newReadOnlyFileSystem(FileSystem.allowInternalResourceAccess(
                FileSystem.allowLanguageHomeAccess(FileSystem.newDenyIOFileSystem())));
        return new GuestFileSystem(
                FileSystem.newCompositeFileSystem(
                        languageFiles,
                        FileSystem.Selector.of(
                                this, path -> isOwned(path.toAbsolutePath().normalize()))),
                this);
    }

    /** True for the paths this file system serves itself: the way down to the volume and the volume. */
    static boolean isOwned(Path abs) {
        return isFixedDir(abs) || abs.startsWith(MOUNT);
    }

    /** The path relative to /mnt/data, or null when the path is not inside it. */
    static String relativeToMount(Path absoluteNormalized) {
        if (!absoluteNormalized.startsWith(MOUNT)) {
            return null;
        }
        Path rel = MOUNT.relativize(absoluteNormalized);
        String s = rel.toString().replace('\\', '/');
        return s.equals(".") ? "" : s;
    }

    private Path resolve(Path path) {
        return toAbsolutePath(path).normalize();
    }

    private static IOException denied(Path path) {
        return new AccessDeniedException(
                path.toString(), null, "the sandbox has no access outside " + MemoryVolume.MOUNT);
    }

    /** Relative-to-mount for a path that must be inside /mnt/data to be written. */
    private String writable(Path abs) throws IOException {
        String rel = relativeToMount(abs);
        if (rel == null) {
            throw denied(abs);
        }
        return rel;
    }

    private static boolean isFixedDir(Path abs) {
        return abs.equals(ROOT) || abs.equals(MNT);
    }

    @Override
    public Path parsePath(URI uri) {
        if (!"file".equalsIgnoreCase(uri.getScheme())) {
            throw new UnsupportedOperationException("only file: URIs are supported in the sandbox, got " + uri);
        }
        return Path.of(uri.getPath());
    }

    @Override
    public Path parsePath(String path) {
        return Path.of(path);
    }

    @Override
    public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... linkOptions) throws IOException {
        Path abs = resolve(path);
        if (isFixedDir(abs)) {
            if (modes.contains(AccessMode.WRITE)) {
                throw denied(abs);
            }
            return;
        }
        String rel = relativeToMount(abs);
        if (rel == null) {
            throw denied(abs);
        }
        v().require(rel);
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        v().createDirectory(writable(resolve(dir)));
    }

    @Override
    public void delete(Path path) throws IOException {
        v().delete(writable(resolve(path)));
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        Path abs = resolve(path);
        boolean append = options.contains(StandardOpenOption.APPEND);
        boolean write = append || options.contains(StandardOpenOption.WRITE);
        // GraalPy asks for {WRITE, APPEND} whatever the access mode beside O_APPEND (Java refuses READ with APPEND),
        // so 'a+' could never read: an appending channel reads too, as O_RDWR | O_APPEND does
        boolean read = options.contains(StandardOpenOption.READ) || !write || append;
        if (isFixedDir(abs)) {
            throw write ? denied(abs) : new IOException(abs + ": is a directory");
        }
        String rel = relativeToMount(abs);
        if (rel == null) {
            throw denied(abs);
        }
        MemoryVolume v = v();
        MemoryVolume.FileData file = v.openFile(
                rel,
                write
                        && (options.contains(StandardOpenOption.CREATE)
                                || options.contains(StandardOpenOption.CREATE_NEW)),
                write && options.contains(StandardOpenOption.CREATE_NEW));
        if (write && options.contains(StandardOpenOption.TRUNCATE_EXISTING)) {
            v.truncate(file, 0);
        }
        return new MemoryFileChannel(this, v, file, read, write, append);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        Path abs = resolve(dir);
        List<Path> entries = new ArrayList<>();
        if (abs.equals(ROOT)) {
            entries.add(MNT);
        } else if (abs.equals(MNT)) {
            entries.add(MOUNT);
        } else {
            String rel = relativeToMount(abs);
            if (rel == null) {
                throw denied(abs);
            }
            for (String name : v().children(rel)) {
                entries.add(dir.resolve(name));
            }
        }
        List<Path> accepted = new ArrayList<>();
        for (Path p : entries) {
            if (filter == null || filter.accept(p)) {
                accepted.add(p);
            }
        }
        return new DirectoryStream<>() {
            @Override
            public Iterator<Path> iterator() {
                return accepted.iterator();
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public Path toAbsolutePath(Path path) {
        return path.isAbsolute() ? path : cwd.resolve(path);
    }

    @Override
    public Path toRealPath(Path path, LinkOption... linkOptions) throws IOException {
        Path abs = resolve(path);
        checkAccess(abs, Set.of());
        return abs;
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        Path abs = resolve(path);
        boolean dir;
        long size;
        long modified;
        long inode;
        if (isFixedDir(abs)) {
            dir = true;
            size = 0;
            modified = 0;
            inode = abs.equals(ROOT) ? 2 : 3;
        } else {
            String rel = relativeToMount(abs);
            if (rel == null) {
                throw denied(abs);
            }
            MemoryVolume v = v();
            MemoryVolume.Node node = v.require(rel);
            dir = node instanceof MemoryVolume.Dir;
            size = node instanceof MemoryVolume.FileData f ? v.size(f) : 0;
            modified = node.modifiedMillis();
            inode = node.inode();
        }
        // Languages ask for "basic:*", "posix:..." or "unix:..." views; answering with the union is simplest.
        FileTime time = FileTime.fromMillis(modified);
        Map<String, Object> m = new HashMap<>();
        m.put("lastModifiedTime", time);
        m.put("lastAccessTime", time);
        m.put("creationTime", time);
        m.put("isRegularFile", !dir);
        m.put("isDirectory", dir);
        m.put("isSymbolicLink", false);
        m.put("isOther", false);
        m.put("size", size);
        m.put("fileKey", inode);
        m.put("owner", OWNER);
        m.put("group", OWNER);
        m.put("permissions", dir ? DIR_PERMS : FILE_PERMS);
        m.put("mode", dir ? 040755 : 0100644);
        m.put("ino", inode);
        m.put("dev", 1L);
        m.put("rdev", 0L);
        m.put("nlink", 1);
        m.put("uid", 1000);
        m.put("gid", 1000);
        m.put("ctime", time);
        return m;
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        // Times and permissions are not modelled; accept silently inside the mount so utilities like shutil.copy work.
        Path abs = resolve(path);
        String rel = writable(abs);
        v().require(rel);
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        String from = writable(resolve(source));
        String to = writable(resolve(target));
        MemoryVolume v = v();
        boolean replace = Arrays.asList(options).contains(StandardCopyOption.REPLACE_EXISTING);
        if (v.require(from) instanceof MemoryVolume.Dir) {
            if (v.get(to) != null && !replace) {
                throw new java.nio.file.FileAlreadyExistsException(MemoryVolume.absolute(to));
            }
            if (v.get(to) == null) {
                v.createDirectory(to);
            }
            return;
        }
        if (v.get(to) != null && !replace) {
            throw new java.nio.file.FileAlreadyExistsException(MemoryVolume.absolute(to));
        }
        byte[] content = v.readFile(from).orElseThrow(() -> new NoSuchFileException(MemoryVolume.absolute(from)));
        MemoryVolume.FileData f = v.openFile(to, true, false);
        v.truncate(f, 0);
        v.write(f, 0, content, 0, content.length);
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        v().move(
                        writable(resolve(source)),
                        writable(resolve(target)),
                        Arrays.asList(options).contains(StandardCopyOption.REPLACE_EXISTING));
    }

    @Override
    public void createLink(Path link, Path existing) throws IOException {
        throw new UnsupportedOperationException("links are not supported in the sandbox");
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
        throw new UnsupportedOperationException("symbolic links are not supported in the sandbox");
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        throw new java.nio.file.NotLinkException(link.toString());
    }

    @Override
    public void setCurrentWorkingDirectory(Path currentWorkingDirectory) {
        Path abs = resolve(currentWorkingDirectory);
        if (!isFixedDir(abs)) {
            String rel = relativeToMount(abs);
            MemoryVolume v = volume;
            if (rel == null || v == null || !(v.get(rel) instanceof MemoryVolume.Dir)) {
                throw new IllegalArgumentException("not a directory in the sandbox: " + abs);
            }
        }
        cwd = abs;
    }

    @Override
    public Path getTempDirectory() {
        return MOUNT;
    }

    @Override
    public boolean isSameFile(Path path1, Path path2, LinkOption... options) {
        return resolve(path1).equals(resolve(path2));
    }

    @Override
    public long getFileStoreTotalSpace(Path path) throws IOException {
        return v().capacityBytes();
    }

    @Override
    public long getFileStoreUnallocatedSpace(Path path) throws IOException {
        MemoryVolume v = v();
        return v.capacityBytes() - v.usedBytes();
    }

    @Override
    public long getFileStoreUsableSpace(Path path) throws IOException {
        return getFileStoreUnallocatedSpace(path);
    }

    @Override
    public long getFileStoreBlockSize(Path path) {
        return 4096;
    }

    @Override
    public boolean isFileStoreReadOnly(Path path) {
        return relativeToMount(resolve(path)) == null;
    }
}
