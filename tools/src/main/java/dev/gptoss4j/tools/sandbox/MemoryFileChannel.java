package dev.gptoss4j.tools.sandbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/** An open file of a {@link MemoryVolume}; the volume's lock guards the bytes and the quota. */
final class MemoryFileChannel implements SeekableByteChannel {

    private final SandboxFileSystem owner;
    private final MemoryVolume volume;
    private final MemoryVolume.FileData file;
    private final boolean readable;
    private final boolean writable;
    private final boolean append;
    private long position;
    private boolean open = true;

    MemoryFileChannel(
            SandboxFileSystem owner,
            MemoryVolume volume,
            MemoryVolume.FileData file,
            boolean readable,
            boolean writable,
            boolean append) {
        this.owner = owner;
        this.volume = volume;
        this.file = file;
        this.readable = readable;
        this.writable = writable;
        this.append = append;
        volume.opened(file);
    }

    @Override
    public synchronized int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        if (!readable) {
            throw new NonReadableChannelException();
        }
        byte[] chunk = new byte[Math.min(dst.remaining(), 1 << 16)];
        int n = volume.read(file, position, chunk, 0, chunk.length);
        if (n > 0) {
            dst.put(chunk, 0, n);
            position += n;
        }
        return n;
    }

    @Override
    public synchronized int write(ByteBuffer src) throws IOException {
        ensureOpen();
        if (!writable) {
            throw new NonWritableChannelException();
        }
        if (append) {
            position = volume.size(file);
        }
        int n = src.remaining();
        byte[] chunk = new byte[n];
        src.get(chunk);
        volume.write(file, position, chunk, 0, n);
        position += n;
        return n;
    }

    @Override
    public synchronized long position() throws IOException {
        ensureOpen();
        return position;
    }

    @Override
    public synchronized SeekableByteChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position " + newPosition);
        }
        position = newPosition;
        return this;
    }

    @Override
    public synchronized long size() throws IOException {
        ensureOpen();
        return volume.size(file);
    }

    @Override
    public synchronized SeekableByteChannel truncate(long size) throws IOException {
        ensureOpen();
        if (!writable) {
            throw new NonWritableChannelException();
        }
        volume.truncate(file, size);
        position = Math.min(position, size);
        return this;
    }

    @Override
    public synchronized boolean isOpen() {
        return open;
    }

    @Override
    public synchronized void close() {
        if (open) {
            open = false;
            volume.closed(file);
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open || owner.volume() != volume) {
            throw new ClosedChannelException(); // closed, or its context was stopped and cut off from the volume
        }
    }
}
