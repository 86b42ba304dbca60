package dev.gptoss4j.serve.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.agent.backend.ToolChoice;
import dev.gptoss4j.engine.harmony.Channel;
import dev.gptoss4j.engine.harmony.DeveloperContent;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.gptoss4j.engine.harmony.ResponseFormat;
import dev.gptoss4j.engine.harmony.Role;
import dev.gptoss4j.engine.harmony.SystemContent;
import dev.gptoss4j.engine.harmony.ToolDescription;
import dev.gptoss4j.engine.harmony.ToolNamespaceConfig;
import dev.gptoss4j.serve.http.ApiException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The parts of a harmony prompt both endpoints build alike. OpenAI's system and developer messages become the
 * harmony developer message's instructions (the harmony system message is the server's: identity, date, reasoning
 * effort, built-in tools); function tools go into the developer message as gpt-oss was trained to read them.
 */
final class Prompt {

    /**
     * {@code json_object}: any JSON object, as a harmony response format whose schema the local engine enforces
     * (objects with any keys; see {@code JsonSchemaGrammar}).
     */
    static final ResponseFormat JSON_OBJECT = new ResponseFormat(
            "json_object",
            "Any JSON object.",
            Fields.JSON.createObjectNode().put("type", "object").put("additionalProperties", true));

    private Prompt() {}

    /**
     * {@code tool_choice}: {@code auto}, {@code none}, {@code required} or one function, named as chat completions
     * nest it ({@code {"type": "function", "function": {"name": N}}}) or as Responses put it
     * ({@code {"type": "function", "name": N}}). Forcing a call needs tools, and the name must be one of them.
     */
    static ToolChoice toolChoice(JsonNode choice, List<ToolDescription> functions, boolean nested) {
        if (choice == null) return ToolChoice.AUTO;
        if (choice.isTextual()) {
            ToolChoice c = switch (choice.asText()) {
                case "auto" -> ToolChoice.AUTO;
                case "none" -> ToolChoice.NONE;
                case "required" -> ToolChoice.REQUIRED;
                default ->
                    throw ApiException.badRequest(
                            "tool_choice",
                            "'tool_choice' must be auto, none, required " + "or a function, got '" + choice.asText()
                                    + "'");
            };
            if (c == ToolChoice.REQUIRED && functions.isEmpty()) {
                throw ApiException.badRequest(
                        "tool_choice", "'tool_choice' is 'required' but the request has no " + "function tools");
            }
            return c;
        }
        if (!choice.isObject()) throw Fields.wrongType("tool_choice", "a string or an object", choice);
        String type = Fields.reqString(choice, "type", "tool_choice");
        if (!type.equals("function")) {
            throw Fields.unsupported("tool_choice.type", "only a function can be forced, got '" + type + "'");
        }
        String namePath = nested ? "tool_choice.function.name" : "tool_choice.name";
        String name = nested
                ? Fields.reqString(Fields.reqObject(choice, "function", "tool_choice"), "name", "tool_choice.function")
                : Fields.reqString(choice, "name", "tool_choice");
        if (functions.stream().noneMatch(f -> f.name().equals(name))) {
            throw ApiException.badRequest(
                    namePath,
                    "'" + namePath + "' is '" + name + "', which is not one of the " + "request's function tools "
                            + functions.stream().map(ToolDescription::name).toList());
        }
        return ToolChoice.function(name);
    }

    /** The system message and, when there is anything to say, the developer message. */
    static List<Message> preamble(
            ApiSettings settings,
            ReasoningEffort effort,
            String instructions,
            List<ToolDescription> functions,
            ResponseFormat format,
            List<ToolNamespaceConfig> builtIns) {
        String date = settings.conversationDate() != null
                ? settings.conversationDate()
                : LocalDate.now().toString();
        SystemContent.Builder system =
                SystemContent.builder().reasoningEffort(effort).conversationStartDate(date);
        builtIns.forEach(system::tool);
        List<Message> out = new ArrayList<>();
        out.add(Message.system(system.build()));
        if (instructions != null || !functions.isEmpty() || format != null) {
            DeveloperContent.Builder dev = DeveloperContent.builder().instructions(instructions);
            if (!functions.isEmpty()) dev.functionTools(functions);
            if (format != null) dev.responseFormat(format);
            out.add(Message.developer(dev.build()));
        }
        return out;
    }

    /** A request may name the model; naming another one than served is a 404, as OpenAI answers. */
    static void checkModel(JsonNode request, ApiSettings settings) {
        String model = Fields.optString(request, "model", null);
        if (model != null && !model.equals(settings.modelId())) {
            throw ApiException.notFound(
                    "model_not_found",
                    "The model '" + model + "' does not exist; this server " + "serves '" + settings.modelId() + "'");
        }
    }

    static ReasoningEffort effort(String text, String path, ApiSettings settings) {
        if (text == null) return settings.reasoningEffort();
        return switch (text) {
            case "low", "minimal" -> ReasoningEffort.LOW;
            case "medium" -> ReasoningEffort.MEDIUM;
            case "high" -> ReasoningEffort.HIGH;
            default ->
                throw ApiException.badRequest(path, "'" + path + "' must be low, medium or high, got '" + text + "'");
        };
    }

    /**
     * Message text: a string, or an array of text parts ({@code {"type": "text", "text": ...}}); {@code null} for
     * absent content. Parts of other types (images, audio, files) are refused: gpt-oss reads text only.
     */
    static String text(JsonNode content, String path, Set<String> textTypes) {
        if (content == null || content.isNull()) return null;
        if (content.isTextual()) return content.asText();
        if (!content.isArray()) throw Fields.wrongType(path, "a string or an array of text parts", content);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
            String p = path + "[" + i + "]";
            ObjectNode part = Fields.element(content.get(i), p);
            String type = Fields.reqString(part, "type", p);
            if (!textTypes.contains(type)) {
                throw Fields.unsupported(
                        Fields.path(p, "type"),
                        "content of type '" + type + "' is not supported; " + "gpt-oss reads text only ("
                                + String.join(", ", textTypes) + ")");
            }
            sb.append(Fields.reqString(part, "text", p));
        }
        return sb.toString();
    }

    /** A function tool: {@code name}, optional {@code description} and {@code parameters} (JSON Schema). */
    static ToolDescription function(ObjectNode fn, String path) {
        String name = Fields.reqString(fn, "name", path);
        if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
            throw ApiException.badRequest(
                    Fields.path(path, "name"),
                    "'" + Fields.path(path, "name") + "' must be 1 to 64 letters, digits, underscores or dashes, got '"
                            + name + "'");
        }
        String description = Fields.optString(fn, "description", path);
        ObjectNode parameters = Fields.optObject(fn, "parameters", path);
        return ToolDescription.of(name, description == null ? "" : description, emptyToNull(parameters));
    }

    /** A tool without arguments is announced as {@code () => any}, as gpt-oss was trained to see it. */
    private static JsonNode emptyToNull(ObjectNode schema) {
        if (schema == null) return null;
        JsonNode props = schema.path("properties");
        boolean empty = (props.isMissingNode() || props.isObject() && props.isEmpty())
                && !schema.has("additionalProperties")
                && !schema.has("anyOf")
                && !schema.has("oneOf");
        return empty ? null : schema;
    }

    /** A structured-output format ({@code {name, description, schema}}). */
    static ResponseFormat responseFormat(ObjectNode format, String path) {
        String name = Fields.optString(format, "name", path);
        ObjectNode schema = Fields.optObject(format, "schema", path);
        if (schema == null) throw Fields.missing(Fields.path(path, "schema"), "a JSON Schema object");
        return new ResponseFormat(
                name == null ? "response" : name, Fields.optString(format, "description", path), schema);
    }

    /** An assistant's function call as harmony writes it: commentary channel, JSON arguments. */
    static Message functionCall(String name, String arguments) {
        return Message.builder(Role.ASSISTANT)
                .channel(Channel.COMMENTARY)
                .recipient("functions." + name)
                .contentType("<|constrain|>json")
                .text(arguments)
                .build();
    }

    /** A function's result, addressed back to the assistant. */
    static Message functionResult(String name, String output) {
        return Message.builder(dev.gptoss4j.engine.harmony.Author.tool("functions." + name))
                .recipient("assistant")
                .channel(Channel.COMMENTARY)
                .text(output)
                .build();
    }

    /** The function name of a tool-call recipient ({@code functions.get_weather} is {@code get_weather}). */
    static String functionName(String recipient) {
        String r = recipient.strip();
        int space = r.indexOf(' ');
        if (space > 0) r = r.substring(0, space);
        return r.startsWith("functions.") ? r.substring("functions.".length()) : r;
    }
}
