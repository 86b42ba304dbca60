package dev.gptoss4j.serve.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.agent.AnalysisPruning;
import dev.gptoss4j.agent.backend.CompletionRequest;
import dev.gptoss4j.agent.backend.SamplingParameters;
import dev.gptoss4j.agent.backend.ToolChoice;
import dev.gptoss4j.engine.harmony.Channel;
import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.gptoss4j.engine.harmony.ResponseFormat;
import dev.gptoss4j.engine.harmony.Role;
import dev.gptoss4j.engine.harmony.ToolDescription;
import dev.gptoss4j.engine.sampling.TopLogprobs;
import dev.gptoss4j.serve.http.ApiException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A {@code /v1/chat/completions} request mapped to harmony: the conversation the model completes and how to answer.
 * Sampling parameters ({@code temperature}, {@code top_p}, {@code seed}, penalties) override the server's for this
 * request; {@code stop} sequences end the answer where one appears.
 *
 * @param toolChoice  {@code tool_choice}: required or a named function is enforced by the backend
 * @param topLogprobs -1 without {@code logprobs}; else how many alternatives per token ({@code top_logprobs})
 */
record ChatRequest(
        Conversation conversation,
        int maxTokens,
        boolean stream,
        boolean includeUsage,
        SamplingParameters sampling,
        List<String> stop,
        ToolChoice toolChoice,
        int topLogprobs) {

    private static final Set<String> TEXT_PARTS = Set.of("text");

    static ChatRequest parse(ObjectNode req, ApiSettings settings) {
        Prompt.checkModel(req, settings);
        ArrayNode messages = Fields.optArray(req, "messages", null);
        if (messages == null) throw Fields.missing("messages", "an array of messages");
        if (messages.isEmpty()) throw ApiException.badRequest("messages", "'messages' must not be empty");
        Integer n = Fields.optInt(req, "n", null, 1);
        if (n != null && n != 1) throw Fields.unsupported("n", "only n=1 is supported, got " + n);
        Integer maxTokens = Fields.optInt(req, "max_completion_tokens", null, 1);
        String maxField = maxTokens != null ? "max_completion_tokens" : "max_tokens";
        if (maxTokens == null) maxTokens = Fields.optInt(req, "max_tokens", null, 1);
        boolean stream = Fields.optBool(req, "stream", null, false);
        ObjectNode streamOptions = Fields.optObject(req, "stream_options", null);
        boolean includeUsage =
                streamOptions != null && Fields.optBool(streamOptions, "include_usage", "stream_options", false);
        ReasoningEffort effort =
                Prompt.effort(Fields.optString(req, "reasoning_effort", null), "reasoning_effort", settings);

        List<ToolDescription> functions = tools(req);
        ToolChoice toolChoice = Prompt.toolChoice(Fields.get(req, "tool_choice"), functions, true);
        ResponseFormat format = responseFormat(req);
        boolean logprobs = Fields.optBool(req, "logprobs", null, false);
        Integer top = Fields.optInt(req, "top_logprobs", null, 0);
        if (top != null && top > TopLogprobs.MAX_K) {
            throw ApiException.badRequest(
                    "top_logprobs", "'top_logprobs' must be at most " + TopLogprobs.MAX_K + ", got " + top);
        }
        if (top != null && !logprobs) {
            throw ApiException.badRequest("top_logprobs", "'top_logprobs' needs 'logprobs': true");
        }

        // leading system/developer messages are the developer instructions; later ones are developer messages
        StringBuilder instructions = new StringBuilder();
        int first = 0;
        while (first < messages.size()) {
            String p = "messages[" + first + "]";
            ObjectNode m = Fields.element(messages.get(first), p);
            String role = Fields.reqString(m, "role", p);
            if (!role.equals("system") && !role.equals("developer")) break;
            String text = Prompt.text(Fields.get(m, "content"), Fields.path(p, "content"), TEXT_PARTS);
            if (text == null) throw Fields.missing(Fields.path(p, "content"), "the instructions");
            if (!instructions.isEmpty()) instructions.append("\n\n");
            instructions.append(text);
            first++;
        }
        List<Message> body = new ArrayList<>();
        Map<String, String> callNames = new HashMap<>();
        for (int i = first; i < messages.size(); i++) {
            String p = "messages[" + i + "]";
            ObjectNode m = Fields.element(messages.get(i), p);
            message(m, p, body, callNames);
        }
        if (body.isEmpty()) {
            throw ApiException.badRequest(
                    "messages", "'messages' holds only system/developer messages; " + "add a user message");
        }
        List<Message> all = new ArrayList<>(Prompt.preamble(
                settings,
                effort,
                instructions.isEmpty() ? null : instructions.toString(),
                functions,
                format,
                List.of()));
        all.addAll(AnalysisPruning.prune(body));
        Conversation conversation = Conversation.of(all);
        return new ChatRequest(
                conversation,
                ContextWindow.replyTokens(conversation, maxTokens, settings, "messages", maxField),
                stream,
                includeUsage,
                Sampling.parse(req),
                stop(req),
                toolChoice,
                logprobs ? (top == null ? 0 : top) : -1);
    }

    /** The model call for this request. */
    CompletionRequest completion(BooleanSupplier cancelled) {
        return new CompletionRequest(conversation, maxTokens, cancelled, sampling, toolChoice, topLogprobs);
    }

    /** {@code stop}: a string or an array of up to four strings. */
    private static List<String> stop(ObjectNode req) {
        JsonNode stop = Fields.get(req, "stop");
        if (stop == null) return List.of();
        if (stop.isTextual()) return stop.asText().isEmpty() ? List.of() : List.of(stop.asText());
        if (!stop.isArray()) throw Fields.wrongType("stop", "a string or an array of strings", stop);
        if (stop.size() > 4)
            throw ApiException.badRequest("stop", "'stop' holds at most 4 sequences, got " + stop.size());
        List<String> out = new ArrayList<>();
        for (int i = 0; i < stop.size(); i++) {
            JsonNode s = stop.get(i);
            if (s == null || !s.isTextual()) throw Fields.wrongType("stop[" + i + "]", "a string", s);
            if (!s.asText().isEmpty()) out.add(s.asText());
        }
        return out;
    }

    private static void message(ObjectNode m, String p, List<Message> out, Map<String, String> callNames) {
        String role = Fields.reqString(m, "role", p);
        String content = Prompt.text(Fields.get(m, "content"), Fields.path(p, "content"), TEXT_PARTS);
        switch (role) {
            case "system", "developer" -> out.add(Message.of(Role.DEVELOPER, required(content, p)));
            case "user" -> out.add(Message.user(required(content, p)));
            case "assistant" -> {
                String reasoning = Fields.optString(m, "reasoning_content", p);
                if (reasoning == null) reasoning = Fields.optString(m, "reasoning", p);
                if (reasoning != null && !reasoning.isEmpty()) out.add(Message.assistant(Channel.ANALYSIS, reasoning));
                ArrayNode calls = Fields.optArray(m, "tool_calls", p);
                if (calls == null || calls.isEmpty()) {
                    if (content == null) {
                        throw Fields.missing(
                                Fields.path(p, "content"), "an assistant message needs content or " + "tool_calls");
                    }
                    out.add(Message.assistant(Channel.FINAL, content));
                    return;
                }
                // text next to tool calls is a preamble, which gpt-oss writes on the commentary channel
                if (content != null && !content.isEmpty()) out.add(Message.assistant(Channel.COMMENTARY, content));
                for (int j = 0; j < calls.size(); j++) {
                    String cp = Fields.path(p, "tool_calls[" + j + "]");
                    ObjectNode call = Fields.element(calls.get(j), cp);
                    String type = Fields.optString(call, "type", cp);
                    if (type != null && !type.equals("function")) {
                        throw Fields.unsupported(
                                Fields.path(cp, "type"), "only 'function' tool calls exist, got '" + type + "'");
                    }
                    ObjectNode fn = Fields.reqObject(call, "function", cp);
                    String name = Fields.reqString(fn, "name", Fields.path(cp, "function"));
                    String args = Fields.optString(fn, "arguments", Fields.path(cp, "function"));
                    String id = Fields.optString(call, "id", cp);
                    if (id != null) callNames.put(id, name);
                    out.add(Prompt.functionCall(name, args == null || args.isBlank() ? "{}" : args));
                }
            }
            case "tool" -> {
                String id = Fields.optString(m, "tool_call_id", p);
                String name = id != null ? callNames.get(id) : null;
                if (name == null) name = Fields.optString(m, "name", p);
                if (name == null) {
                    if (id == null)
                        throw Fields.missing(Fields.path(p, "tool_call_id"), "the id of the tool call answered");
                    throw ApiException.badRequest(
                            Fields.path(p, "tool_call_id"),
                            "'" + Fields.path(p, "tool_call_id") + "' is '" + id
                                    + "', which no earlier assistant tool_calls entry has");
                }
                out.add(Prompt.functionResult(name, content == null ? "" : content));
            }
            default ->
                throw ApiException.badRequest(
                        Fields.path(p, "role"),
                        "'" + Fields.path(p, "role") + "' must be system, developer, user, assistant or tool, got '"
                                + role + "'");
        }
    }

    private static String required(String content, String p) {
        if (content == null) throw Fields.missing(Fields.path(p, "content"), "a string or an array of text parts");
        return content;
    }

    private static List<ToolDescription> tools(ObjectNode req) {
        ArrayNode tools = Fields.optArray(req, "tools", null);
        JsonNode choice = Fields.get(req, "tool_choice");
        if (tools == null
                || (choice != null && choice.isTextual() && choice.asText().equals("none"))) return List.of();
        List<ToolDescription> out = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            String p = "tools[" + i + "]";
            ObjectNode t = Fields.element(tools.get(i), p);
            String type = Fields.reqString(t, "type", p);
            if (!type.equals("function")) {
                throw Fields.unsupported(
                        Fields.path(p, "type"),
                        "only 'function' tools are supported in chat " + "completions, got '" + type + "'");
            }
            out.add(Prompt.function(Fields.reqObject(t, "function", p), Fields.path(p, "function")));
        }
        return out;
    }

    private static ResponseFormat responseFormat(ObjectNode req) {
        ObjectNode rf = Fields.optObject(req, "response_format", null);
        if (rf == null) return null;
        String type = Fields.reqString(rf, "type", "response_format");
        return switch (type) {
            case "text" -> null;
            case "json_object" -> Prompt.JSON_OBJECT;
            case "json_schema" ->
                Prompt.responseFormat(
                        Fields.reqObject(rf, "json_schema", "response_format"), "response_format.json_schema");
            default ->
                throw Fields.unsupported(
                        "response_format.type", "must be text, json_object or json_schema, " + "got '" + type + "'");
        };
    }
}
