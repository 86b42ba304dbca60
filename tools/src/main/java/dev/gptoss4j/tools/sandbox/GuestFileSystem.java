package dev.gptoss4j.tools.sandbox;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.Charset;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.Map;
import java.util.Set;
import org.graalvm.polyglot.io.FileSystem;

/**
 * What a context is given as its file system: Polyglot's composition of the session's volume with the language's
 * read-only files, plus renames inside the volume. The composition has no move of its own: it moves by copying and
 * deleting and refuses the atomic move that GraalPy's {@code os.rename} asks for, so every rename failed. A move
 * with an end in the volume goes to the volume, where it is one step under the volume's lock (and an end outside
 * it is refused); every other call is the composition's, with an access check refused outside answered as an
 * I/O error.
 */
final class GuestFileSystem implements FileSystem {

    private final FileSystem composed;
    private final SandboxFileSystem volume;

    GuestFileSystem(FileSystem composed, SandboxFileSystem volume) {
        this.composed = composed;
        this.volume = volume;
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        Path from = composed.toAbsolutePath(source).normalize();
        Path to = composed.toAbsolutePath(target).normalize();
        if (SandboxFileSystem.isOwned(from) || SandboxFileSystem.isOwned(to)) {
            // an end outside the volume is refused there, as a write outside it is
            volume.move(from, to, options);
        } else {
            composed.move(source, target, options);
        }
    }

    @Override
    public Path parsePath(URI uri) {
        return composed.parsePath(uri);
    }

    @Override
    public Path parsePath(String path) {
        return composed.parsePath(path);
    }

    @Override
    public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... linkOptions) throws IOException {
        try {
            composed.checkAccess(path, modes, linkOptions);
        } catch (SecurityException e) {
            // The deny-all file system refuses with a SecurityException, which GraalPy cannot turn into os.access's
            // False: it escaped the guest's try blocks and ended the cell. As an I/O refusal it is an answer.
            throw new AccessDeniedException(path.toString(), null, "outside the sandbox");
        }
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        composed.createDirectory(dir, attrs);
    }

    @Override
    public void delete(Path path) throws IOException {
        composed.delete(path);
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        return composed.newByteChannel(path, options, attrs);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        return composed.newDirectoryStream(dir, filter);
    }

    @Override
    public Path toAbsolutePath(Path path) {
        return composed.toAbsolutePath(path);
    }

    @Override
    public Path toRealPath(Path path, LinkOption... linkOptions) throws IOException {
        return composed.toRealPath(path, linkOptions);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        return composed.readAttributes(path, attributes, options);
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        composed.setAttribute(path, attribute, value, options);
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        composed.copy(source, target, options);
    }

    @Override
    public void createLink(Path link, Path existing) throws IOException {
        composed.createLink(link, existing);
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
        composed.createSymbolicLink(link, target, attrs);
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        return composed.readSymbolicLink(link);
    }

    @Override
    public void setCurrentWorkingDirectory(Path currentWorkingDirectory) {
        composed.setCurrentWorkingDirectory(currentWorkingDirectory);
    }

    @Override
    public String getSeparator() {
        return composed.getSeparator();
    }

    @Override
    public String getPathSeparator() {
        return composed.getPathSeparator();
    }

    @Override
    public String getMimeType(Path path) {
        return composed.getMimeType(path);
    }

    @Override
    public Charset getEncoding(Path path) {
        return composed.getEncoding(path);
    }

    @Override
    public Path getTempDirectory() {
        return composed.getTempDirectory();
    }

    @Override
    public boolean isSameFile(Path path1, Path path2, LinkOption... options) throws IOException {
        return composed.isSameFile(path1, path2, options);
    }

    @Override
    public long getFileStoreTotalSpace(Path path) throws IOException {
        return composed.getFileStoreTotalSpace(path);
    }

    @Override
    public long getFileStoreUnallocatedSpace(Path path) throws IOException {
        return composed.getFileStoreUnallocatedSpace(path);
    }

    @Override
    public long getFileStoreUsableSpace(Path path) throws IOException {
        return composed.getFileStoreUsableSpace(path);
    }

    @Override
    public long getFileStoreBlockSize(Path path) throws IOException {
        return composed.getFileStoreBlockSize(path);
    }

    @Override
    public boolean isFileStoreReadOnly(Path path) throws IOException {
        return composed.isFileStoreReadOnly(path);
    }
}
