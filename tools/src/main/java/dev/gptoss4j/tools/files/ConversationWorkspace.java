package dev.gptoss4j.tools.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A conversation's own workspace directory (see {@link FilesTools#perConversation}): made when the conversation first
 * touches files, deleted with its contents when the conversation's tool scope closes.
 */
final class ConversationWorkspace implements AutoCloseable {

    private final Workspace workspace;

    private ConversationWorkspace(Workspace workspace) {
        this.workspace = workspace;
    }

    /** A new directory {@code parent/name}; {@code name} is a tool scope id (letters, digits, underscores). */
    static ConversationWorkspace create(Path parent, String name) {
        if (!name.matches("[A-Za-z0-9_-]+")) throw new IllegalArgumentException("not a directory name: " + name);
        try {
            return new ConversationWorkspace(new Workspace(Files.createDirectory(parent.resolve(name))));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot make the conversation's workspace in " + parent + ": " + e.getMessage(), e);
        }
    }

    Workspace workspace() {
        return workspace;
    }

    /** Deletes the directory and what the conversation left in it; links are removed, never followed. */
    @Override
    public void close() throws IOException {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(workspace.root())) {
            all = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : all) Files.deleteIfExists(p);
    }
}
