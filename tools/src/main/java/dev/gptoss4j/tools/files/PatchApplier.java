package dev.gptoss4j.tools.files;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Applies a {@link Patch} to a {@link Workspace}, all or nothing: every operation is checked and every new content
 * computed before the first file is touched, and when writing fails part-way (a full disk, a name the file system
 * refuses) the files already changed are put back as they were, so the workspace is never left half-patched.
 * A hunk's lines are found from where the previous hunk ended (after its {@code @@} line if that is given), first
 * exactly, then ignoring trailing whitespace, then ignoring surrounding whitespace; an {@code *** End of File} hunk
 * is looked for at the end first.
 */
public final class PatchApplier {

    private PatchApplier() {}

    private sealed interface Change permits Write, Delete {
        String path();
    }

    private record Write(String path, String content) implements Change {}

    private record Delete(String path) implements Change {}

    /** Applies the patch and returns one line per file changed: {@code A path}, {@code M path}, {@code D path}. */
    public static List<String> apply(Patch patch, Workspace workspace) {
        List<Change> changes = new ArrayList<>();
        List<String> summary = new ArrayList<>();
        for (Patch.Operation op : patch.operations()) {
            switch (op) {
                case Patch.AddFile add -> {
                    checked("Add File: " + add.path(), () -> {
                        if (workspace.exists(add.path())) throw new PatchException("the file already exists");
                        workspace.checkWritable(add.path());
                        return null;
                    });
                    String content = add.lines().isEmpty() ? "" : String.join("\n", add.lines()) + "\n";
                    changes.add(new Write(add.path(), content));
                    summary.add("A " + add.path());
                }
                case Patch.DeleteFile delete -> {
                    checked("Delete File: " + delete.path(), () -> {
                        if (!workspace.isFile(delete.path())) throw new PatchException("no such file");
                        return null;
                    });
                    changes.add(new Delete(delete.path()));
                    summary.add("D " + delete.path());
                }
                case Patch.UpdateFile update -> {
                    String where = "Update File: " + update.path();
                    String before = checked(where, () -> {
                        if (!workspace.isFile(update.path())) throw new PatchException("no such file");
                        return workspace.read(update.path());
                    });
                    String after = update(update, before);
                    if (update.moveTo() != null && !update.moveTo().equals(update.path())) {
                        checked(where + ", Move to: " + update.moveTo(), () -> {
                            if (workspace.exists(update.moveTo())) throw new PatchException("the file already exists");
                            workspace.checkWritable(update.moveTo());
                            return null;
                        });
                        changes.add(new Write(update.moveTo(), after));
                        changes.add(new Delete(update.path()));
                        summary.add("M " + update.moveTo() + " (moved from " + update.path() + ")");
                    } else {
                        changes.add(new Write(update.path(), after));
                        summary.add("M " + update.path());
                    }
                }
            }
        }
        commit(changes, workspace);
        return summary;
    }

    /** Makes the changes in order; when one fails, undoes those made, newest first, and says what happened. */
    private static void commit(List<Change> changes, Workspace workspace) {
        Deque<Runnable> undo = new ArrayDeque<>();
        try {
            for (Change c : changes) {
                undo.push(workspace.snapshot(c.path())::restore);
                switch (c) {
                    case Write w -> workspace.write(w.path(), w.content());
                    case Delete d -> workspace.delete(d.path());
                }
            }
        } catch (RuntimeException e) {
            List<String> unrestored = new ArrayList<>();
            while (!undo.isEmpty()) {
                try {
                    undo.pop().run();
                } catch (RuntimeException r) {
                    unrestored.add(r.getMessage());
                }
            }
            String cause = e instanceof WorkspaceException ? e.getMessage() : String.valueOf(e);
            throw new PatchException("the patch could not be applied: " + cause
                    + (unrestored.isEmpty()
                            ? "; the files changed before that were restored, so nothing was changed"
                            : "; restoring the files changed before that failed too: "
                                    + String.join("; ", unrestored)));
        }
    }

    private static <T> T checked(String where, java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (WorkspaceException e) {
            throw new PatchException(where + ": " + e.getMessage());
        }
    }

    private static String update(Patch.UpdateFile update, String content) {
        List<String> lines = List.of(content.split("\n", -1));
        // a final newline leaves an empty last element; the file's real end is before it
        int end = !lines.isEmpty() && lines.getLast().isEmpty() ? lines.size() - 1 : lines.size();
        List<String> out = new ArrayList<>();
        int copied = 0;
        for (int k = 0; k < update.hunks().size(); k++) {
            Patch.Hunk h = update.hunks().get(k);
            List<String> old = h.old();
            int search = copied;
            if (!h.header().isBlank()) {
                int at = find(lines, List.of(h.header()), search, end);
                if (at >= 0) search = at + 1;
            }
            int pos;
            if (old.isEmpty()) {
                pos = h.endOfFile() ? end : search;
            } else {
                pos = -1;
                if (h.endOfFile()) pos = matchAt(lines, old, end - old.size());
                if (pos < 0) pos = find(lines, old, search, end);
            }
            if (pos < 0) {
                String label = "hunk " + (k + 1) + " (patch line " + h.patchLine() + ")";
                throw new PatchException("Update File: " + update.path() + ", " + label
                        + ": context not found after line " + (search + 1) + "; these lines are not in the file:\n"
                        + String.join("\n", old));
            }
            out.addAll(lines.subList(copied, pos));
            // context lines stay as the file has them (they may differ in whitespace); only -/+ lines change
            int at = pos;
            for (String l : h.lines()) {
                switch (l.charAt(0)) {
                    case ' ' -> out.add(lines.get(at++));
                    case '-' -> at++;
                    default -> out.add(l.substring(1));
                }
            }
            copied = at;
        }
        out.addAll(lines.subList(copied, lines.size()));
        return String.join("\n", out);
    }

    private static final List<UnaryOperator<String>> FUZZ = List.of(s -> s, String::stripTrailing, String::strip);

    /** The first index at or after {@code from} where {@code context} starts, trying stricter matches first. */
    private static int find(List<String> lines, List<String> context, int from, int end) {
        for (UnaryOperator<String> norm : FUZZ) {
            for (int i = from; i + context.size() <= end; i++) {
                if (matches(lines, context, i, norm)) return i;
            }
        }
        return -1;
    }

    private static int matchAt(List<String> lines, List<String> context, int at) {
        if (at < 0) return -1;
        for (UnaryOperator<String> norm : FUZZ) if (matches(lines, context, at, norm)) return at;
        return -1;
    }

    private static boolean matches(List<String> lines, List<String> context, int at, UnaryOperator<String> norm) {
        for (int j = 0; j < context.size(); j++) {
            if (!norm.apply(lines.get(at + j)).equals(norm.apply(context.get(j)))) return false;
        }
        return true;
    }
}
