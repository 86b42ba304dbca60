package dev.gptoss4j.agent.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gptoss4j.agent.tool.Tool;
import dev.gptoss4j.engine.harmony.Author;
import dev.gptoss4j.engine.harmony.Channel;
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
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.ToolChoice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A LangChain4j chat (messages and parameters) as the harmony conversation gpt-oss reads: system messages become the
 * developer message's instructions, tool specifications its function tools, a JSON-schema response format its
 * response format; AI messages become analysis (their thinking), tool calls on the commentary channel and final
 * answers; tool results become messages from {@code functions.NAME}.
 *
 * <p>The harmony rule for chain of thought across turns applies: thinking of AI messages before the last final
 * answer is dropped; the current turn's thinking (between tool calls) is kept, as the model needs it to go on.
 */
final class HarmonyPrompt {

    static final String JSON_CONTENT_TYPE = "<|constrain|>json";

    private HarmonyPrompt() {}

    static Conversation of(
            List<ChatMessage> messages,
            ChatRequestParameters parameters,
            ReasoningEffort effort,
            String modelIdentity,
            String conversationStartDate) {
        SystemContent.Builder system =
                SystemContent.builder().reasoningEffort(effort).conversationStartDate(conversationStartDate);
        if (modelIdentity != null) system.modelIdentity(modelIdentity);
        List<Message> out = new ArrayList<>();
        out.add(Message.system(system.build()));
        DeveloperContent developer = developer(messages, parameters);
        if (developer != null) out.add(Message.developer(developer));

        int lastAnswer = -1; // the last AI message that answered (text, no tool call): thinking before it is dropped
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i) instanceof AiMessage ai && !ai.hasToolExecutionRequests() && ai.text() != null) {
                lastAnswer = i;
            }
        }
        Map<String, String> toolNameById = new HashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            switch (messages.get(i)) {
                case SystemMessage ignored -> {} // already in the developer message
                case UserMessage user -> out.add(Message.user(text(user)));
                case AiMessage ai -> {
                    if (ai.thinking() != null && !ai.thinking().isBlank() && i > lastAnswer) {
                        out.add(Message.assistant(Channel.ANALYSIS, ai.thinking()));
                    }
                    if (ai.hasToolExecutionRequests()) {
                        if (ai.text() != null && !ai.text().isBlank()) {
                            out.add(Message.assistant(Channel.COMMENTARY, ai.text())); // a preamble before the calls
                        }
                        for (ToolExecutionRequest call : ai.toolExecutionRequests()) {
                            if (call.id() != null) toolNameById.put(call.id(), call.name());
                            out.add(Message.builder(Author.of(dev.gptoss4j.engine.harmony.Role.ASSISTANT))
                                    .channel(Channel.COMMENTARY)
                                    .recipient(recipient(call.name()))
                                    .contentType(JSON_CONTENT_TYPE)
                                    .text(
                                            call.arguments() == null
                                                            || call.arguments().isBlank()
                                                    ? "{}"
                                                    : call.arguments())
                                    .build());
                        }
                    } else if (ai.text() != null) {
                        out.add(Message.assistant(Channel.FINAL, ai.text()));
                    }
                }
                case ToolExecutionResultMessage result -> {
                    String name = result.toolName() != null ? result.toolName() : toolNameById.get(result.id());
                    if (name == null) {
                        throw new IllegalArgumentException("tool result message " + i + " (id " + result.id()
                                + ") names no tool and answers no earlier tool call");
                    }
                    out.add(Message.builder(Author.tool(recipient(name)))
                            .recipient("assistant")
                            .channel(Channel.COMMENTARY)
                            .text(result.text() == null ? "" : result.text())
                            .build());
                }
                default ->
                    throw new UnsupportedFeatureException(
                            "gpt-oss cannot read a " + messages.get(i).type() + " message (message " + i + ")");
            }
        }
        return Conversation.of(out);
    }

    /** Function tools live in harmony namespace {@code functions}; a name with a namespace already is kept. */
    static String recipient(String toolName) {
        return toolName.contains(".") ? toolName : Tool.FUNCTIONS + "." + toolName;
    }

    private static DeveloperContent developer(List<ChatMessage> messages, ChatRequestParameters parameters) {
        List<String> instructions = new ArrayList<>();
        for (ChatMessage m : messages) {
            if (m instanceof SystemMessage s && !s.text().isBlank()) instructions.add(s.text());
        }
        DeveloperContent.Builder dev = DeveloperContent.builder();
        List<ToolSpecification> tools =
                parameters.toolSpecifications() == null ? List.of() : parameters.toolSpecifications();
        ToolChoice choice = parameters.toolChoice();
        if (!tools.isEmpty() && choice != ToolChoice.NONE) {
            dev.functionTools(tools.stream().map(HarmonyPrompt::describe).toList());
            // harmony has no way to force a call, and sampling is not constrained yet: ask for one instead
            if (choice == ToolChoice.REQUIRED) instructions.add("Call one of the functions; do not answer directly.");
        }
        var format = parameters.responseFormat();
        if (format != null && format.type() == ResponseFormatType.JSON) {
            if (format.jsonSchema() != null && format.jsonSchema().rootElement() != null) {
                String name = format.jsonSchema().name() == null
                        ? "response"
                        : format.jsonSchema().name();
                dev.responseFormat(new ResponseFormat(
                        name, null, JsonSchemas.toJson(format.jsonSchema().rootElement())));
            } else {
                instructions.add("Answer with one JSON value and nothing else.");
            }
        }
        if (!instructions.isEmpty()) dev.instructions(String.join("\n\n", instructions));
        DeveloperContent content = dev.build();
        boolean empty = content.instructions() == null
                && content.tools().isEmpty()
                && content.responseFormats().isEmpty();
        return empty ? null : content;
    }

    private static ToolDescription describe(ToolSpecification spec) {
        JsonNode parameters = spec.parameters() == null ? null : JsonSchemas.toJson(spec.parameters());
        // a tool without arguments is announced as () => any, as gpt-oss was trained to see it
        boolean none = parameters == null
                || (parameters.path("properties").isEmpty() && !parameters.has("additionalProperties"));
        return ToolDescription.of(
                spec.name(), spec.description() == null ? "" : spec.description(), none ? null : parameters);
    }

    private static String text(UserMessage user) {
        StringBuilder sb = new StringBuilder();
        for (Content c : user.contents()) {
            if (c instanceof TextContent t) {
                if (!sb.isEmpty()) sb.append('\n');
                sb.append(t.text());
            } else {
                throw new UnsupportedFeatureException(
                        "gpt-oss reads text only; a user message holds " + c.type() + " content");
            }
        }
        return sb.toString();
    }
}
