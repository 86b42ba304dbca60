package dev.gptoss4j.cli;

import dev.gptoss4j.agent.tool.MethodTools;
import dev.gptoss4j.agent.tool.Tool;
import dev.gptoss4j.tools.browser.Browser;
import dev.gptoss4j.tools.browser.SearchBackends;
import dev.gptoss4j.tools.code.JavaScriptTool;
import dev.gptoss4j.tools.code.PythonTool;
import dev.gptoss4j.tools.files.FilesTools;
import dev.gptoss4j.tools.sandbox.JavaScriptSandbox;
import dev.gptoss4j.tools.sandbox.PythonSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The tools the app can offer, by the names {@code --tools} takes: each name a group of tools, made on first use
 * (a sandbox starts an interpreter) and closed with the toolbox. Shared by {@code run}, {@code chat} (whose
 * {@code /tools} switches groups on and off) and {@code serve}. The tools are shared; their state (python variables
 * and files, browser history) lives in the tool scope of each conversation: one per {@code run}, one per chat, one
 * per Responses conversation in {@code serve}. The {@code files} tools work in the user's {@code --workspace}
 * folder, which every conversation shares on purpose.
 */
final class Toolbox implements AutoCloseable {

    /** Every name {@code --tools} accepts, in the order help lists them. */
    static final List<String> NAMES = List.of("calculator", "time", "python", "javascript", "browser", "files");

    private final Duration timeout;
    private final Path workspace;
    private final Consumer<String> notice;
    private final Map<String, List<Tool>> made = new LinkedHashMap<>();

    /**
     * @param timeout   per tool call; the sandboxes stop runaway code themselves at it
     * @param workspace the folder the files tools work in, or null (then {@code files} is refused)
     * @param notice    receives one-line notices (the browser without a search API)
     */
    Toolbox(Duration timeout, Path workspace, Consumer<String> notice) {
        this.timeout = timeout;
        this.workspace = workspace;
        this.notice = notice;
    }

    /**
     * The names in a {@code --tools} list, checked, without blanks, duplicates and {@code none}.
     *
     * @throws IllegalArgumentException naming an unknown tool and the known ones
     */
    static List<String> names(Collection<String> given) {
        List<String> out = new ArrayList<>();
        for (String name : given) {
            String n = name.strip();
            if (n.isEmpty() || n.equals("none") || out.contains(n)) continue;
            if (!NAMES.contains(n)) throw unknown(n);
            out.add(n);
        }
        return out;
    }

    /** The tools of the named groups, made now if they were not yet. */
    List<Tool> tools(Collection<String> names) {
        List<Tool> out = new ArrayList<>();
        for (String n : names) out.addAll(group(n));
        return out;
    }

    /** The tools of one group ({@code python}, {@code browser}...). */
    List<Tool> group(String name) {
        List<Tool> tools = made.get(name);
        if (tools == null) {
            tools = make(name);
            made.put(name, tools);
        }
        return tools;
    }

    /** The tool groups made so far. */
    Map<String, List<Tool>> made() {
        return made;
    }

    private List<Tool> make(String name) {
        return switch (name) {
            case "calculator" -> MethodTools.from(new DemoTools.Calculator());
            case "time" -> MethodTools.from(new DemoTools.Clock());
            case "python" ->
                List.of(PythonTool.of(PythonSandbox.builder().timeout(timeout).build()));
            case "javascript" ->
                List.of(JavaScriptTool.of(
                        JavaScriptSandbox.builder().timeout(timeout).build()));
            case "browser" -> browser().tools();
            case "files" -> {
                if (workspace == null) throw new IllegalArgumentException("--tools files needs --workspace DIR");
                if (!Files.isDirectory(workspace)) {
                    throw new IllegalArgumentException("--workspace: " + workspace + " is not a directory");
                }
                yield FilesTools.rootedAt(workspace);
            }
            default -> throw unknown(name);
        };
    }

    private static IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException(
                "--tools: unknown tool '" + name + "'; available: " + String.join(", ", NAMES) + ", none");
    }

    /** The browser: search as the environment configures it; without that, it can still open URLs. */
    private Browser browser() {
        Map<String, String> env = System.getenv();
        Browser.Builder b = Browser.builder();
        if (env.containsKey(SearchBackends.URL)
                || env.containsKey(SearchBackends.KEY)
                || env.containsKey(SearchBackends.API)) {
            b.searchBackend(SearchBackends.fromEnvironment(env));
        } else {
            notice.accept("no search API configured (" + SearchBackends.URL + ", " + SearchBackends.KEY
                    + "); browser.search will be unavailable, browser.open still works");
        }
        return b.build();
    }

    @Override
    public void close() {
        for (List<Tool> group : made.values()) {
            for (Tool t : group) {
                if (t instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception ignored) {
                        // closing a sandbox at exit: nothing useful to do about a failure
                    }
                }
            }
        }
        made.clear();
    }
}
