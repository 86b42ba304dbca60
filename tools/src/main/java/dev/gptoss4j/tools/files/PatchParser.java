package dev.gptoss4j.tools.files;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the gpt-oss {@code apply_patch} format:
 *
 * <pre>
 * *** Begin Patch
 * *** Add File: path          then "+" lines
 * *** Delete File: path
 * *** Update File: path       [*** Move to: new path] then hunks:
 * &#64;&#64; [text of a line to find first]
 *  context line   -removed line   +added line
 * [*** End of File]
 * *** End Patch
 * </pre>
 *
 * An empty line inside a hunk counts as an empty context line. CRLF patches are accepted.
 */
public final class PatchParser {

    private static final String BEGIN = "*** Begin Patch";
    private static final String END = "*** End Patch";
    private static final String ADD = "*** Add File: ";
    private static final String DELETE = "*** Delete File: ";
    private static final String UPDATE = "*** Update File: ";
    private static final String MOVE = "*** Move to: ";
    private static final String EOF = "*** End of File";

    private final List<String> lines;
    private int index;

    private PatchParser(List<String> lines) {
        this.lines = lines;
    }

    public static Patch parse(String text) {
        if (text == null) throw new PatchException("the patch is empty");
        List<String> lines = new ArrayList<>(List.of(text.replace("\r\n", "\n").split("\n", -1)));
        while (!lines.isEmpty() && lines.getLast().isBlank()) lines.removeLast();
        while (!lines.isEmpty() && lines.getFirst().isBlank()) lines.removeFirst();
        if (lines.isEmpty() || !lines.getFirst().strip().equals(BEGIN)) {
            throw new PatchException("the patch must start with a `" + BEGIN + "` line");
        }
        if (lines.size() < 2 || !lines.getLast().strip().equals(END)) {
            throw new PatchException("the patch must end with a `" + END + "` line");
        }
        PatchParser p = new PatchParser(lines);
        p.index = 1;
        return p.patch();
    }

    private Patch patch() {
        List<Patch.Operation> ops = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        while (index < lines.size() - 1) {
            String line = lines.get(index);
            Patch.Operation op;
            if (line.startsWith(ADD)) op = addFile(path(line, ADD));
            else if (line.startsWith(DELETE)) {
                op = new Patch.DeleteFile(path(line, DELETE));
                index++;
            } else if (line.startsWith(UPDATE)) op = updateFile(path(line, UPDATE));
            else {
                throw new PatchException("line " + (index + 1) + ": expected `" + ADD.strip() + "`, `" + DELETE.strip()
                        + "` or `" + UPDATE.strip() + "`, found: " + line);
            }
            if (seen.contains(op.path())) throw new PatchException("the patch changes " + op.path() + " twice");
            seen.add(op.path());
            ops.add(op);
        }
        if (ops.isEmpty()) throw new PatchException("the patch has no file operations");
        return new Patch(ops);
    }

    private String path(String line, String prefix) {
        String p = line.substring(prefix.length()).strip();
        if (p.isEmpty()) throw new PatchException("line " + (index + 1) + ": `" + prefix.strip() + "` needs a path");
        return p;
    }

    private boolean atOperationOrEnd() {
        String l = lines.get(index);
        return index >= lines.size() - 1
                || l.startsWith(ADD)
                || l.startsWith(DELETE)
                || l.startsWith(UPDATE)
                || l.strip().equals(END);
    }

    private Patch.AddFile addFile(String path) {
        index++;
        List<String> content = new ArrayList<>();
        while (!atOperationOrEnd()) {
            String l = lines.get(index);
            if (!l.startsWith("+")) {
                throw new PatchException("Add File: " + path + ", line " + (index + 1)
                        + ": every line of a new file starts with '+', found: " + l);
            }
            content.add(l.substring(1));
            index++;
        }
        return new Patch.AddFile(path, content);
    }

    private Patch.UpdateFile updateFile(String path) {
        index++;
        String moveTo = null;
        if (lines.get(index).startsWith(MOVE)) {
            moveTo = path(lines.get(index), MOVE);
            index++;
        }
        List<Patch.Hunk> hunks = new ArrayList<>();
        while (!atOperationOrEnd()) {
            int start = index + 1;
            String l = lines.get(index);
            String header = "";
            if (l.equals("@@") || l.startsWith("@@ ")) {
                header = l.length() > 2 ? l.substring(3) : "";
                index++;
            } else if (!hunks.isEmpty()) {
                throw new PatchException("Update File: " + path + ", line " + start
                        + ": expected `@@` to start the next hunk, found: " + l);
            }
            List<String> body = new ArrayList<>();
            boolean eof = false;
            while (!atOperationOrEnd()) {
                String h = lines.get(index);
                if (h.equals("@@") || h.startsWith("@@ ")) break;
                if (h.equals(EOF)) {
                    eof = true;
                    index++;
                    break;
                }
                if (h.startsWith("***")) {
                    throw new PatchException(
                            "Update File: " + path + ", line " + (index + 1) + ": unknown marker: " + h);
                }
                char kind = h.isEmpty() ? ' ' : h.charAt(0);
                if (kind != ' ' && kind != '-' && kind != '+') {
                    throw new PatchException("Update File: " + path + ", line " + (index + 1)
                            + ": a hunk line starts with ' ', '-' or '+', found: " + h);
                }
                body.add(h.isEmpty() ? " " : h);
                index++;
            }
            if (body.isEmpty()) {
                throw new PatchException(
                        "Update File: " + path + ", hunk " + (hunks.size() + 1) + " (line " + start + ") is empty");
            }
            hunks.add(new Patch.Hunk(header, body, eof, start));
        }
        if (hunks.isEmpty() && moveTo == null) {
            throw new PatchException("Update File: " + path + " has no hunks");
        }
        return new Patch.UpdateFile(path, moveTo, hunks);
    }
}
