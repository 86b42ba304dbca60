package dev.gptoss4j.agent.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gptoss4j.agent.tool.Schemas;
import dev.gptoss4j.agent.tool.Tool;
import dev.gptoss4j.agent.tool.ToolArguments;
import dev.gptoss4j.agent.tool.ToolResult;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;

/**
 * A LangChain4j tool (specification and executor: a hand-written one, an MCP server's, a tool provider's) as one of
 * our function tools. The executor gets the arguments exactly as the model wrote them, after our schema check.
 */
record ExecutorTool(
        String name, String description, JsonNode parameters, ToolExecutor executor, InvocationContext context)
        implements Tool {

    static ExecutorTool of(ToolSpecification spec, ToolExecutor executor, InvocationContext context) {
        if (spec == null) throw new IllegalArgumentException("tool specification must not be null");
        if (executor == null) throw new IllegalArgumentException("tool '" + spec.name() + "' has no executor");
        JsonNode parameters = spec.parameters() == null ? Schemas.emptyObject() : Schemas.of(spec.parameters());
        return new ExecutorTool(
                spec.name(), spec.description() == null ? "" : spec.description(), parameters, executor, context);
    }

    @Override
    public ToolResult execute(ToolArguments arguments) {
        ToolExecutionRequest request = ToolExecutionRequest.builder()
                .id(GptOssChatModel.newCallId())
                .name(name)
                .arguments(arguments.raw().isBlank() ? "{}" : arguments.raw())
                .build();
        ToolExecutionResult result = executor.executeWithContext(request, context);
        if (result == null) return ToolResult.of("");
        String text = result.resultText() == null ? "" : result.resultText();
        return result.isError() ? ToolResult.error(text) : ToolResult.of(text);
    }
}
