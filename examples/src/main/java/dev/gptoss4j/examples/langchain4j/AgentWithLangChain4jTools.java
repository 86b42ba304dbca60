package dev.gptoss4j.examples.langchain4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gptoss4j.agent.Agent;
import dev.gptoss4j.agent.AgentEvent;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.mcp.McpToolProvider;
import dev.langchain4j.mcp.client.DefaultMcpClient;
import dev.langchain4j.mcp.client.McpClient;
import dev.langchain4j.mcp.client.transport.http.StreamableHttpMcpTransport;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.service.tool.ToolExecutor;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * LangChain4j tools in our agent: a {@code @Tool} class, a hand-made {@link ToolSpecification} with its
 * {@link ToolExecutor}, and optionally the tools of an MCP server (streamable HTTP) through langchain4j-mcp.
 * Runs on the bundled replay, or on a real model.
 *
 * <pre>{@code ./gptoss langchain4j agent [--model PATH] [--mcp URL]}</pre>
 */
public final class AgentWithLangChain4jTools {

    public static final String TASK =
            "How many words are in \"the quick brown fox jumps\", " + "and what is -40 degrees Celsius in Fahrenheit?";

    /** The bundled replay: what gpt-oss did with {@link #TASK}. */
    public static final String REPLAY = "agent.replay";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A tool written as a LangChain4j specification and executor rather than a method. */
    static final ToolSpecification COUNT_WORDS = ToolSpecification.builder()
            .name("count_words")
            .description("Counts the words of a text.")
            .parameters(JsonObjectSchema.builder()
                    .addStringProperty("text", "the text")
                    .required("text")
                    .build())
            .build();

    static final ToolExecutor COUNT_WORDS_EXECUTOR = (request, memoryId) -> {
        String text;
        try {
            text = JSON.readTree(request.arguments()).path("text").asText();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("count_words: arguments are not JSON: " + e.getOriginalMessage());
        }
        return Integer.toString(text.isBlank() ? 0 : text.strip().split("\\s+").length);
    };

    private AgentWithLangChain4jTools() {}

    /**
     * Runs the agent on {@code task}: the answer streams to {@code out}, tool calls are listed as they finish.
     *
     * @param mcpUrl an MCP server's streamable HTTP endpoint whose tools join the agent's, or {@code null}
     */
    public static AgentResult run(
            Backend backend, ReasoningEffort effort, String mcpUrl, String task, PrintWriter out) {
        List<Object> tools = new ArrayList<>();
        tools.add(new Units(call -> {}));
        McpClient mcp = null;
        try {
            if (mcpUrl != null) {
                mcp = connect(mcpUrl);
                tools.add(McpToolProvider.builder()
                        .mcpClients(mcp)
                        .failIfOneServerFails(true)
                        .build());
            }
            Agent agent = Agent.builder()
                    .backend(backend)
                    .instructions("Use the tools for counting and conversions.")
                    .tools(tools)
                    .tool(COUNT_WORDS, COUNT_WORDS_EXECUTOR)
                    .reasoningEffort(effort)
                    .listener(event -> {
                        switch (event) {
                            case AgentEvent.ToolCallFinished f ->
                                out.println("  [tool] " + f.call().recipient() + " "
                                        + f.call().arguments() + " -> "
                                        + f.call().result());
                            case AgentEvent.FinalDelta d -> out.print(d.text());
                            default -> {}
                        }
                        out.flush();
                    })
                    .build();
            out.println("> " + task);
            out.println("  tools: "
                    + String.join(
                            ", ", agent.tools().stream().map(t -> t.recipient()).toList()));
            AgentResult result = agent.run(task);
            out.println();
            out.flush();
            return result;
        } finally {
            if (mcp != null) {
                try {
                    mcp.close();
                } catch (Exception ignored) {
                    // closing a finished client: nothing left to do
                }
            }
        }
    }

    private static McpClient connect(String url) {
        try {
            return new DefaultMcpClient.Builder()
                    .transport(new StreamableHttpMcpTransport.Builder()
                            .url(url)
                            .timeout(Duration.ofSeconds(30))
                            .build())
                    .autoHealthCheck(false)
                    .build();
        } catch (RuntimeException e) {
            // the outermost I/O failure says what went wrong (refused, unknown host); deeper ones are plumbing
            Throwable root = e;
            while (!(root instanceof java.io.IOException) && root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String why = root.getMessage() == null
                    ? root.getClass().getSimpleName()
                    : root.getClass().getSimpleName() + ": " + root.getMessage();
            throw new IllegalStateException("--mcp: cannot initialize the MCP server at " + url + " (" + why + ")", e);
        }
    }

    /** The bundled replay's backend. */
    public static Backend replay() {
        return Replays.load(REPLAY);
    }
}
