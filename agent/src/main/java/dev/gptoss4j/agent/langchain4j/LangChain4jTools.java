package dev.gptoss4j.agent.langchain4j;

import dev.gptoss4j.agent.tool.MethodTools;
import dev.gptoss4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.langchain4j.service.tool.ToolProvider;
import dev.langchain4j.service.tool.ToolProviderRequest;
import dev.langchain4j.service.tool.ToolProviderResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * LangChain4j tools as our agent's {@link Tool}s: objects with {@code @Tool} methods, specification and executor
 * pairs, and {@link ToolProvider}s (such as langchain4j-mcp's {@code McpToolProvider}, which brings an MCP server's
 * tools). {@link dev.gptoss4j.agent.Agent.Builder#tools} takes all of these directly.
 *
 * <p>A tool provider is asked once, when the tools are made: our agent announces a fixed set of tools.
 */
public final class LangChain4jTools {

    /** The memory id executors see; the agent has no chat memory of LangChain4j's. */
    public static final String MEMORY_ID = "gptoss4j-agent";

    private LangChain4jTools() {}

    /** One tool per {@code @Tool} method of {@code object}. */
    public static List<Tool> from(Object object) {
        return MethodTools.from(object);
    }

    /** One tool from a specification and the executor that runs it. */
    public static Tool of(ToolSpecification specification, ToolExecutor executor) {
        return ExecutorTool.of(specification, executor, context());
    }

    /** The tools of specification to executor pairs, in the map's order. */
    public static List<Tool> of(Map<ToolSpecification, ToolExecutor> tools) {
        List<Tool> out = new ArrayList<>();
        tools.forEach((spec, executor) -> out.add(of(spec, executor)));
        return List.copyOf(out);
    }

    /** The tools a provider offers now (it is asked with a placeholder user message). */
    public static List<Tool> from(ToolProvider provider) {
        return from(
                provider,
                ToolProviderRequest.builder()
                        .invocationContext(context())
                        .userMessage(UserMessage.from("(tools for a gptoss4j agent)"))
                        .build());
    }

    /** The tools a provider offers for {@code request}. */
    public static List<Tool> from(ToolProvider provider, ToolProviderRequest request) {
        if (provider == null) throw new IllegalArgumentException("tool provider must not be null");
        ToolProviderResult result = provider.provideTools(request);
        if (result == null) {
            throw new IllegalStateException(
                    "tool provider " + provider.getClass().getName() + " returned no result");
        }
        List<Tool> out = new ArrayList<>();
        result.tools()
                .forEach((spec, executor) -> out.add(ExecutorTool.of(spec, executor, request.invocationContext())));
        return List.copyOf(out);
    }

    private static InvocationContext context() {
        return InvocationContext.builder().chatMemoryId(MEMORY_ID).build();
    }
}
