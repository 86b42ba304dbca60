package dev.gptoss4j.serve.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.agent.AnalysisPruning;
import dev.gptoss4j.agent.backend.SamplingParameters;
import dev.gptoss4j.agent.backend.ToolChoice;
import dev.gptoss4j.agent.tool.Tool;
import dev.gptoss4j.agent.tool.ToolDescriptions;
import dev.gptoss4j.agent.tool.ToolSet;
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

/**
 * A {@code /v1/responses} request mapped to harmony.
 *
 * @param builtIns the server-side tools this request enabled ({@code browser_search}, {@code code_interpreter})
 * @param sampling this request's sampling parameters ({@code temperature}, {@code top_p}...)
 * @param echo     request fields repeated in the response object ({@code instructions}, {@code tools}, ...)
 * @param preamble how many of the conversation's first messages are the system and developer preamble, made anew
 *                 for every request (the rest is the conversation's history and this request's input)
 * @param callNames the function call ids of the conversation and this input, to the function's name
 * @param store    whether the server keeps the conversation after this response ({@code store}, default true)
 * @param toolChoice  {@code tool_choice}, for the response's first model call
 * @param topLogprobs -1 unless {@code include} has {@code message.output_text.logprobs}; else {@code top_logprobs}
 */
record ResponsesRequest(
        Conversation conversation,
        int maxTokens,
        Integer maxOutputTokens,
        boolean stream,
        ToolSet builtIns,
        ReasoningEffort effort,
        SamplingParameters sampling,
        ObjectNode echo,
        int preamble,
        Map<String, String> callNames,
        boolean store,
        ToolChoice toolChoice,
        int topLogprobs) {

    private static final Set<String> TEXT_PARTS = Set.of("input_text", "output_text", "text");

    /** A request that starts a conversation. */
    static ResponsesRequest parse(ObjectNode req, ApiSettings settings) {
        return parse(req, settings, List.of(), Map.of());
    }

    /**
     * A request whose input goes on after {@code history} (a kept conversation's messages, without preamble), whose
     * function calls had the ids in {@code earlierCalls}.
     */
    static ResponsesRequest parse(
            ObjectNode req, ApiSettings settings, List<Message> history, Map<String, String> earlierCalls) {
        Prompt.checkModel(req, settings);
        boolean store = Fields.optBool(req, "store", null, true);
        Integer maxOutput = Fields.optInt(req, "max_output_tokens", null, 1);
        boolean stream = Fields.optBool(req, "stream", null, false);
        ObjectNode reasoning = Fields.optObject(req, "reasoning", null);
        ReasoningEffort effort = Prompt.effort(
                reasoning == null ? null : Fields.optString(reasoning, "effort", "reasoning"),
                "reasoning.effort",
                settings);
        String instructionsField = Fields.optString(req, "instructions", null);

        List<ToolDescription> functions = new ArrayList<>();
        List<Tool> builtIns = new ArrayList<>();
        ArrayNode tools = Fields.optArray(req, "tools", null);
        JsonNode choice = Fields.get(req, "tool_choice");
        boolean none = choice != null && choice.isTextual() && choice.asText().equals("none");
        if (tools != null && !none) {
            for (int i = 0; i < tools.size(); i++) {
                String p = "tools[" + i + "]";
                ObjectNode t = Fields.element(tools.get(i), p);
                String type = Fields.reqString(t, "type", p);
                switch (type) {
                    case "function" -> functions.add(Prompt.function(t, p));
                    case "browser_search", "web_search", "web_search_preview" ->
                        builtIns.addAll(builtIn(settings, "browser", Fields.path(p, "type"), type));
                    case "code_interpreter", "python" ->
                        builtIns.addAll(builtIn(settings, "python", Fields.path(p, "type"), type));
                    default ->
                        throw Fields.unsupported(
                                Fields.path(p, "type"),
                                "unknown tool type '" + type
                                        + "' (expected function, browser_search or code_interpreter)");
                }
            }
        }
        ToolSet builtInSet = new ToolSet(builtIns);
        ToolChoice toolChoice = none ? ToolChoice.NONE : Prompt.toolChoice(choice, functions, false);
        int topLogprobs = topLogprobs(req);

        StringBuilder instructions = new StringBuilder(instructionsField == null ? "" : instructionsField);
        List<Message> body = new ArrayList<>(history);
        Map<String, String> callNames = new HashMap<>(earlierCalls);
        JsonNode input = Fields.get(req, "input");
        if (input == null) throw Fields.missing("input", "a string or an array of input items");
        if (input.isTextual()) {
            body.add(Message.user(input.asText()));
        } else if (input.isArray()) {
            for (int i = 0; i < input.size(); i++) {
                String p = "input[" + i + "]";
                item(Fields.element(input.get(i), p), p, body, callNames, instructions);
            }
        } else {
            throw Fields.wrongType("input", "a string or an array of input items", input);
        }
        if (body.isEmpty()) throw ApiException.badRequest("input", "'input' holds no message for the model");

        ResponseFormat format = null;
        ObjectNode text = Fields.optObject(req, "text", null);
        ObjectNode textFormat = text == null ? null : Fields.optObject(text, "format", "text");
        String formatType = textFormat == null ? null : Fields.optString(textFormat, "type", "text.format");
        if ("json_schema".equals(formatType)) format = Prompt.responseFormat(textFormat, "text.format");
        else if ("json_object".equals(formatType)) format = Prompt.JSON_OBJECT;

        List<Message> all = new ArrayList<>(Prompt.preamble(
                settings,
                effort,
                instructions.isEmpty() ? null : instructions.toString(),
                functions,
                format,
                ToolDescriptions.builtIns(builtInSet)));
        int preamble = all.size();
        all.addAll(AnalysisPruning.prune(body));

        ObjectNode echo = Fields.JSON.createObjectNode();
        echo.put("instructions", instructionsField);
        echo.set("tools", tools == null ? Fields.JSON.createArrayNode() : tools.deepCopy());
        echo.set("tool_choice", choice == null ? Fields.JSON.getNodeFactory().textNode("auto") : choice.deepCopy());
        if (text != null) echo.set("text", text.deepCopy());
        else echo.putObject("text").putObject("format").put("type", "text");
        Conversation conversation = Conversation.of(all);
        int maxTokens = ContextWindow.replyTokens(conversation, maxOutput, settings, "input", "max_output_tokens");
        return new ResponsesRequest(
                conversation,
                maxTokens,
                maxOutput,
                stream,
                builtInSet,
                effort,
                Sampling.parse(req),
                echo,
                preamble,
                Map.copyOf(callNames),
                store,
                toolChoice,
                topLogprobs);
    }

    /** Log-probabilities come with {@code include: ["message.output_text.logprobs"]}. */
    private static int topLogprobs(ObjectNode req) {
        Integer top = Fields.optInt(req, "top_logprobs", null, 0);
        if (top != null && top > TopLogprobs.MAX_K) {
            throw ApiException.badRequest(
                    "top_logprobs", "'top_logprobs' must be at most " + TopLogprobs.MAX_K + ", got " + top);
        }
        ArrayNode include = Fields.optArray(req, "include", null);
        boolean wanted = false;
        if (include != null) {
            for (JsonNode i : include) wanted |= i.isTextual() && i.asText().equals("message.output_text.logprobs");
        }
        return wanted ? (top == null ? 0 : top) : -1;
    }

    private static List<Tool> builtIn(ApiSettings settings, String namespace, String path, String type) {
        List<Tool> tools = settings.builtIns(namespace);
        if (tools.isEmpty()) {
            throw Fields.unsupported(
                    path, "the built-in " + namespace + " tool ('" + type + "') is not enabled on " + "this server");
        }
        return tools;
    }

    private static void item(
            ObjectNode item, String p, List<Message> out, Map<String, String> callNames, StringBuilder instructions) {
        String type = Fields.optString(item, "type", p);
        if (type == null || type.equals("message")) {
            String role = Fields.reqString(item, "role", p);
            JsonNode contentNode = Fields.get(item, "content");
            String content = Prompt.text(contentNode, Fields.path(p, "content"), TEXT_PARTS);
            if (content == null) throw Fields.missing(Fields.path(p, "content"), "a string or an array of text parts");
            switch (role) {
                case "system", "developer" -> {
                    if (out.isEmpty()) {
                        if (!instructions.isEmpty()) instructions.append("\n\n");
                        instructions.append(content);
                    } else {
                        out.add(Message.of(Role.DEVELOPER, content));
                    }
                }
                case "user" -> out.add(Message.user(content));
                case "assistant" -> out.add(Message.assistant(Channel.FINAL, content));
                default ->
                    throw ApiException.badRequest(
                            Fields.path(p, "role"),
                            "'" + Fields.path(p, "role") + "' must be system, developer, user or assistant, got '"
                                    + role + "'");
            }
            return;
        }
        switch (type) {
            case "function_call" -> {
                String name = Fields.reqString(item, "name", p);
                String args = Fields.optString(item, "arguments", p);
                String callId = Fields.reqString(item, "call_id", p);
                callNames.put(callId, name);
                out.add(Prompt.functionCall(name, args == null || args.isBlank() ? "{}" : args));
            }
            case "function_call_output" -> {
                String callId = Fields.reqString(item, "call_id", p);
                String name = callNames.get(callId);
                if (name == null) {
                    throw ApiException.badRequest(
                            Fields.path(p, "call_id"),
                            "'" + Fields.path(p, "call_id") + "' is '" + callId
                                    + "', which no earlier function_call item has");
                }
                JsonNode output = Fields.get(item, "output");
                String text = output == null
                        ? ""
                        : output.isTextual()
                                ? output.asText()
                                : Prompt.text(output, Fields.path(p, "output"), TEXT_PARTS);
                out.add(Prompt.functionResult(name, text));
            }
            case "reasoning" -> {
                StringBuilder sb = new StringBuilder();
                ArrayNode content = Fields.optArray(item, "content", p);
                if (content != null) {
                    for (int i = 0; i < content.size(); i++) {
                        String cp = Fields.path(p, "content[" + i + "]");
                        sb.append(Fields.reqString(Fields.element(content.get(i), cp), "text", cp));
                    }
                }
                if (!sb.isEmpty()) out.add(Message.assistant(Channel.ANALYSIS, sb.toString()));
            }
            // built-in tool calls already ran here; their results are not re-sent to the model
            case "web_search_call", "code_interpreter_call" -> {}
            default ->
                throw Fields.unsupported(
                        Fields.path(p, "type"),
                        "unknown input item type '" + type
                                + "' (expected message, function_call, function_call_output or reasoning)");
        }
    }
}
