package dev.gptoss4j.tools.files;

import java.util.List;

/**
 * A parsed patch in the gpt-oss {@code apply_patch} format: file operations between {@code *** Begin Patch} and
 * {@code *** End Patch}.
 */
public record Patch(List<Operation> operations) {

    public Patch {
        operations = List.copyOf(operations);
    }

    /** One file operation. */
    public sealed interface Operation permits AddFile, DeleteFile, UpdateFile {
        String path();
    }

    /** {@code *** Add File: path} with the new file's lines. */
    public record AddFile(String path, List<String> lines) implements Operation {
        public AddFile {
            lines = List.copyOf(lines);
        }
    }

    /** {@code *** Delete File: path}. */
    public record DeleteFile(String path) implements Operation {}

    /** {@code *** Update File: path}, optionally {@code *** Move to: moveTo}, with its hunks. */
    public record UpdateFile(String path, String moveTo, List<Hunk> hunks) implements Operation {
        public UpdateFile {
            hunks = List.copyOf(hunks);
        }
    }

    /**
     * One {@code @@} section.
     *
     * @param header    the text after {@code @@ } (a line to find first, such as a function signature), or empty
     * @param lines     the hunk's lines, each starting with {@code ' '} (context), {@code '-'} or {@code '+'}
     * @param endOfFile whether it is anchored at the end of the file ({@code *** End of File})
     * @param patchLine the 1-based line of the patch the hunk starts on, for error messages
     */
    public record Hunk(String header, List<String> lines, boolean endOfFile, int patchLine) {
        public Hunk {
            lines = List.copyOf(lines);
        }

        /** The lines as they are before: context and removed lines. */
        public List<String> old() {
            return lines.stream()
                    .filter(l -> l.charAt(0) != '+')
                    .map(l -> l.substring(1))
                    .toList();
        }

        /** The lines as they are after: context and added lines. */
        public List<String> updated() {
            return lines.stream()
                    .filter(l -> l.charAt(0) != '-')
                    .map(l -> l.substring(1))
                    .toList();
        }
    }
}
