package dev.gptoss4j.tools.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gptoss4j.agent.tool.FunctionTool;
import dev.gptoss4j.agent.tool.Schemas;
import dev.gptoss4j.agent.tool.Tool;
import dev.gptoss4j.agent.tool.ToolArguments;
import dev.gptoss4j.agent.tool.ToolResult;
import dev.gptoss4j.agent.tool.ToolScope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Workspace tools for the model, as developer functions: {@code read_file}, {@code write_file}, {@code list_files}
 * and {@code apply_patch} (declared as gpt-oss's reference chat declares it: a string argument, the patch itself).
 * There are none unless a root is given: file access is off by default.
 *
 * <pre>{@code
 * Agent agent = Agent.builder().backend(backend)
 *     .instructions(FilesTools.INSTRUCTIONS)
 *     .tools(FilesTools.rootedAt(Path.of("work")))
 *     .build();
 * }</pre>
 */
public final class FilesTools {

    /** The most entries {@code list_files} shows. */
    public static final int MAX_LIST_ENTRIES = 500;

    /** Developer instructions that explain the patch format to the model (worth adding when the tools are on). */
    public static final String INSTRUCTIONS = """
            Files live in a workspace; use paths relative to it. Read files with read_file, list them with \
            list_files, create whole files with write_file, and edit existing files with apply_patch.

            apply_patch takes a patch in this format:
            *** Begin Patch
            *** Add File: path/new.txt
            +every line of a new file starts with +
            *** Update File: path/old.py
            *** Move to: path/renamed.py   (optional, renames the file)
            @@ def greet():                (optional: a line to find first)
             unchanged context line (starts with a space)
            -removed line
            +added line
            *** Delete File: path/obsolete.txt
            *** End Patch
            Give about three lines of context around each change, and a new @@ section for each separate change.""";

    private static final ObjectMapper JSON = new ObjectMapper();

    private FilesTools() {}

    /** The four tools over {@code root}, which must be an existing directory. */
    public static List<Tool> rootedAt(Path root) {
        return of(new Workspace(root));
    }

    public static List<Tool> of(Workspace ws) {
        return tools(a -> ws);
    }

    /**
     * The four tools over a workspace of each conversation's own: a new directory under {@code parent} (named by the
     * conversation's {@link ToolScope} id) made on the conversation's first file call and deleted, with everything
     * in it, when its scope closes. Two conversations never see each other's files. Outside any conversation (a
     * tool executed directly) the calls fail: there is no conversation to own the directory.
     */
    public static List<Tool> perConversation(Path parent) {
        if (!Files.isDirectory(parent)) {
            throw new IllegalArgumentException(
                    "the parent of per-conversation workspaces, " + parent + ", is not a directory");
        }
        Object key = new Object();
        return tools(a -> {
            if (a.scope() == null) {
                throw new WorkspaceException("this workspace belongs to a conversation, and the call has none");
            }
            return a.scope()
                    .state(
                            key,
                            () -> ConversationWorkspace.create(parent, a.scope().id()))
                    .workspace();
        });
    }

    private static List<Tool> tools(Function<ToolArguments, Workspace> workspaceOf) {
        return List.of(
                tool(
                        "read_file",
                        "Reads a UTF-8 text file of the workspace. Optional 1-based start_line and "
                                + "end_line (inclusive) select a range.",
                        """
                        {"type":"object","properties":{
                          "path":{"type":"string","description":"Path relative to the workspace"},
                          "start_line":{"type":"integer","minimum":1},
                          "end_line":{"type":"integer","minimum":1}},
                         "required":["path"]}""",
                        a -> read(workspaceOf.apply(a), a)),
                tool(
                        "write_file",
                        "Creates or overwrites a text file of the workspace with the given content.",
                        """
                        {"type":"object","properties":{
                          "path":{"type":"string","description":"Path relative to the workspace"},
                          "content":{"type":"string"}},
                         "required":["path","content"]}""",
                        a -> {
                            workspaceOf.apply(a).write(a.text("path"), a.text("content"));
                            return ToolResult.of(
                                    "Wrote " + a.text("content").length() + " characters to " + a.text("path"));
                        }),
                tool(
                        "list_files",
                        "Lists the files and directories under a workspace directory (directories end " + "with /).",
                        """
                        {"type":"object","properties":{
                          "path":{"type":"string","description":"Directory relative to the workspace","default":"."},
                          "recursive":{"type":"boolean","default":false}}}""",
                        a -> {
                            boolean recursive = a.json().path("recursive").asBoolean(false);
                            List<String> entries =
                                    workspaceOf.apply(a).list(a.text("path"), recursive, MAX_LIST_ENTRIES + 1);
                            if (entries.isEmpty()) return ToolResult.of("(empty directory)");
                            String more = entries.size() > MAX_LIST_ENTRIES
                                    ? "\n[listing stopped after " + MAX_LIST_ENTRIES + " entries]"
                                    : "";
                            return ToolResult.of(String.join(
                                            "\n", entries.subList(0, Math.min(entries.size(), MAX_LIST_ENTRIES)))
                                    + more);
                        }),
                tool("apply_patch", "Patch a file", """
                        {"type":"string","description":"Formatted patch code",
                         "default":"*** Begin Patch\\n*** End Patch\\n"}""", a -> {
                    List<String> changed =
                            PatchApplier.apply(PatchParser.parse(patchText(a.raw())), workspaceOf.apply(a));
                    return ToolResult.of("Done!\n" + String.join("\n", changed));
                }));
    }

    private static Tool tool(String name, String description, String schema, Function<ToolArguments, ToolResult> run) {
        return FunctionTool.builder()
                .name(name)
                .description(description)
                .parameters(Schemas.parse(schema))
                .handler(a -> {
                    try {
                        return run.apply(a);
                    } catch (WorkspaceException e) {
                        return ToolResult.error("Error: " + e.getMessage());
                    }
                })
                .build();
    }

    private static ToolResult read(Workspace ws, ToolArguments a) {
        String content = ws.read(a.text("path"));
        JsonNode start = a.json().get("start_line"), end = a.json().get("end_line");
        if (start == null && end == null) return ToolResult.of(content);
        String[] lines = content.split("\n", -1);
        int total = content.endsWith("\n") ? lines.length - 1 : lines.length;
        int from = start == null ? 1 : start.asInt();
        int to = end == null ? total : Math.min(end.asInt(), total);
        if (from > total) {
            throw new WorkspaceException(
                    "`" + a.text("path") + "` has " + total + " lines; start_line " + from + " is past the end");
        }
        if (to < from) throw new WorkspaceException("end_line " + to + " is before start_line " + from);
        return ToolResult.of(String.join("\n", java.util.Arrays.asList(lines).subList(from - 1, to)));
    }

    /** Models sometimes wrap the patch in JSON ({@code {"patch": "..."}}); take the one string value then. */
    static String patchText(String raw) {
        String t = raw.strip();
        if (!t.startsWith("{") && !t.startsWith("\"")) return raw;
        try {
            JsonNode n = JSON.readTree(t);
            if (n.isTextual()) return n.textValue();
            if (n.isObject() && n.size() == 1) {
                Iterator<Map.Entry<String, JsonNode>> it = n.fields();
                JsonNode v = it.next().getValue();
                if (v.isTextual()) return v.textValue();
            }
        } catch (java.io.IOException notJson) {
            // fall through: the parser says what is wrong with it
        }
        return raw;
    }
}
