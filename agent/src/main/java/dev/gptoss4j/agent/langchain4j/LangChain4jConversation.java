package dev.gptoss4j.agent.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gptoss4j.engine.harmony.Channel;
import dev.gptoss4j.engine.harmony.Content;
import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.DeveloperContent;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.gptoss4j.engine.harmony.ResponseFormat;
import dev.gptoss4j.engine.harmony.SystemContent;
import dev.gptoss4j.engine.harmony.ToolDescription;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A harmony conversation as LangChain4j chat messages, for a LangChain4j model behind our agent: the developer
 * message's instructions become a system message and its function tools {@link ToolSpecification}s; analysis
 * becomes the thinking of the next AI message, calls to {@code functions.NAME} tool execution requests, tool
 * messages their results. Tool call ids are numbered in conversation order, so the same conversation always gets
 * the same ids.
 *
 * <p>Only function tools are offered: the built-in {@code browser} and {@code python} namespaces of the system
 * message have no LangChain4j counterpart.
 */
record LangChain4jConversation(
        List<ChatMessage> messages, List<ToolSpecification> tools, ResponseFormat format, ReasoningEffort effort) {

    static LangChain4jConversation of(Conversation conversation) {
        List<ChatMessage> out = new ArrayList<>();
        List<ToolSpecification> tools = new ArrayList<>();
        ResponseFormat format = null;
        ReasoningEffort effort = null;
        Map<String, Deque<String>> openCalls = new HashMap<>(); // tool name -> ids of calls not yet answered
        int calls = 0;
        String thinking = null;
        String preamble = null;
        for (Message m : conversation.messages()) {
            switch (m.role()) {
                case SYSTEM -> {
                    for (Content c : m.content()) {
                        if (c instanceof SystemContent s) effort = s.reasoningEffort();
                    }
                }
                case DEVELOPER -> {
                    for (Content c : m.content()) {
                        if (c instanceof DeveloperContent d) {
                            if (d.instructions() != null && !d.instructions().isBlank()) {
                                out.add(SystemMessage.from(d.instructions()));
                            }
                            for (ToolDescription t : d.functionTools()) tools.add(specification(t));
                            if (!d.responseFormats().isEmpty())
                                format = d.responseFormats().getFirst();
                        }
                    }
                    String text = m.text();
                    if (!text.isBlank()) out.add(SystemMessage.from(text)); // the agent's corrections
                }
                case USER -> out.add(UserMessage.from(nonBlank(m.text(), "(empty message)")));
                case ASSISTANT -> {
                    if (m.recipient() != null) {
                        String name = GptOssChatModel.toolName(m.recipient());
                        String id = "call_" + (++calls);
                        openCalls.computeIfAbsent(name, k -> new ArrayDeque<>()).add(id);
                        out.add(AiMessage.builder()
                                .text(preamble)
                                .thinking(thinking)
                                .toolExecutionRequests(List.of(ToolExecutionRequest.builder()
                                        .id(id)
                                        .name(name)
                                        .arguments(m.text())
                                        .build()))
                                .build());
                        thinking = null;
                        preamble = null;
                    } else if (Channel.ANALYSIS.equals(m.channel())) {
                        thinking = thinking == null ? m.text() : thinking + "\n" + m.text();
                    } else if (Channel.COMMENTARY.equals(m.channel())) {
                        preamble = preamble == null ? m.text() : preamble + "\n" + m.text();
                    } else {
                        String text = preamble == null ? m.text() : preamble + "\n" + m.text();
                        out.add(AiMessage.builder()
                                .text(text)
                                .thinking(thinking)
                                .build());
                        thinking = null;
                        preamble = null;
                    }
                }
                case TOOL -> {
                    String name = GptOssChatModel.toolName(
                            m.author().name() == null ? "tool" : m.author().name());
                    Deque<String> ids = openCalls.get(name);
                    String id = ids == null || ids.isEmpty() ? "call_" + (++calls) : ids.poll();
                    out.add(ToolExecutionResultMessage.from(id, name, nonBlank(m.text(), "(no output)")));
                }
            }
        }
        if (thinking != null || preamble != null) {
            out.add(AiMessage.builder().text(preamble).thinking(thinking).build());
        }
        return new LangChain4jConversation(out, tools, format, effort);
    }

    /** The schema of the announced response format as JSON text, or {@code null}. */
    String formatSchemaText() {
        return format == null ? null : format.schema().toString();
    }

    private static ToolSpecification specification(ToolDescription t) {
        JsonNode parameters = t.parameters();
        return ToolSpecification.builder()
                .name(t.name())
                .description(t.description().isEmpty() ? null : t.description())
                .parameters(JsonSchemas.toObjectSchema(parameters))
                .build();
    }

    /** LangChain4j refuses blank user messages and tool results; harmony allows them. */
    private static String nonBlank(String text, String placeholder) {
        return text == null || text.isBlank() ? placeholder : text;
    }
}
