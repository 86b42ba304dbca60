package dev.gptoss4j.engine.harmony;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON form of conversations and messages: the shape of openai/harmony's Python {@code to_dict}/
 * {@code from_dict} ({@code {"messages": [{"role": "user", "content": [{"type": "text", "text": "Hi"}]}]}}).
 *
 * <p>Reading also accepts a plain string as content (the Rust crate's shorthand). Like the Python package,
 * absent system-content fields take openai/harmony's defaults; so a field that is deliberately empty is written
 * as an explicit {@code null}. Errors name the JSON path and what was expected.
 */
public final class HarmonyJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private HarmonyJson() {}

    // --- writing ---

    public static String toJson(Conversation conversation) {
        return write(toTree(conversation), false);
    }

    public static String toPrettyJson(Conversation conversation) {
        return write(toTree(conversation), true);
    }

    public static String toJson(Message message) {
        return write(toTree(message), false);
    }

    /** A JSON array of messages (the output of {@code gptoss harmony parse}). */
    public static String messagesToJson(List<Message> messages, boolean pretty) {
        ArrayNode array = MAPPER.createArrayNode();
        for (Message m : messages) array.add(toTree(m));
        return write(array, pretty);
    }

    public static ObjectNode toTree(Conversation conversation) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode messages = root.putArray("messages");
        for (Message m : conversation.messages()) messages.add(toTree(m));
        return root;
    }

    public static ObjectNode toTree(Message m) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("role", m.author().role().wireName());
        if (m.author().name() != null) o.put("name", m.author().name());
        ArrayNode content = o.putArray("content");
        for (Content c : m.content()) content.add(toTree(c));
        if (m.channel() != null) o.put("channel", m.channel());
        if (m.recipient() != null) o.put("recipient", m.recipient());
        if (m.contentType() != null) o.put("content_type", m.contentType());
        return o;
    }

    private static ObjectNode toTree(Content c) {
        ObjectNode o = MAPPER.createObjectNode();
        switch (c) {
            case TextContent t -> {
                o.put("type", "text");
                o.put("text", t.text());
            }
            case SystemContent s -> {
                putOrNull(o, "model_identity", s.modelIdentity());
                putOrNull(
                        o,
                        "reasoning_effort",
                        s.reasoningEffort() == null ? null : s.reasoningEffort().jsonName());
                if (s.conversationStartDate() != null) o.put("conversation_start_date", s.conversationStartDate());
                putOrNull(o, "knowledge_cutoff", s.knowledgeCutoff());
                if (s.channelConfig() == null) {
                    o.putNull("channel_config");
                } else {
                    ObjectNode cc = o.putObject("channel_config");
                    ArrayNode valid = cc.putArray("valid_channels");
                    s.channelConfig().validChannels().forEach(valid::add);
                    cc.put("channel_required", s.channelConfig().channelRequired());
                }
                if (!s.tools().isEmpty()) o.set("tools", toolsTree(s.tools()));
                o.put("type", "system_content");
            }
            case DeveloperContent d -> {
                if (d.instructions() != null) o.put("instructions", d.instructions());
                if (!d.tools().isEmpty()) o.set("tools", toolsTree(d.tools()));
                if (!d.responseFormats().isEmpty()) {
                    ArrayNode formats = o.putArray("response_formats");
                    for (ResponseFormat f : d.responseFormats()) {
                        ObjectNode fo = formats.addObject();
                        fo.put("name", f.name());
                        if (f.description() != null) fo.put("description", f.description());
                        fo.set("schema", f.schemaView().deepCopy());
                    }
                }
                o.put("type", "developer_content");
            }
        }
        return o;
    }

    private static ObjectNode toolsTree(Map<String, ToolNamespaceConfig> tools) {
        ObjectNode out = MAPPER.createObjectNode();
        for (ToolNamespaceConfig ns : tools.values()) {
            ObjectNode n = out.putObject(ns.name());
            n.put("name", ns.name());
            if (ns.description() != null) n.put("description", ns.description());
            ArrayNode list = n.putArray("tools");
            for (ToolDescription t : ns.tools()) {
                ObjectNode to = list.addObject();
                to.put("name", t.name());
                to.put("description", t.description());
                if (t.parametersView() != null)
                    to.set("parameters", t.parametersView().deepCopy());
            }
        }
        return out;
    }

    private static void putOrNull(ObjectNode o, String field, String value) {
        if (value == null) o.putNull(field);
        else o.put(field, value);
    }

    private static String write(JsonNode node, boolean pretty) {
        try {
            return (pretty ? PRETTY : MAPPER).writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    // --- reading ---

    /** A conversation: {@code {"messages": [...]}} (a bare array of messages is accepted too). */
    public static Conversation conversationFromJson(String json) {
        JsonNode root = read(json);
        JsonNode messages = root.isArray() ? root : root.get("messages");
        if (messages == null || !messages.isArray()) {
            throw new IllegalArgumentException("conversation JSON: expected an object with a \"messages\" array");
        }
        return Conversation.of(messagesFrom(messages, root.isArray() ? "$" : "$.messages"));
    }

    /** A JSON array of messages. */
    public static List<Message> messagesFromJson(String json) {
        JsonNode root = read(json);
        if (!root.isArray()) throw new IllegalArgumentException("messages JSON: expected an array of messages");
        return messagesFrom(root, "$");
    }

    public static Message messageFromJson(String json) {
        return messageFrom(read(json), "$");
    }

    private static List<Message> messagesFrom(JsonNode array, String path) {
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) out.add(messageFrom(array.get(i), path + "[" + i + "]"));
        return out;
    }

    public static Message messageFrom(JsonNode node, String path) {
        requireObject(node, path, "a message");
        Role role;
        try {
            role = Role.fromWireName(requiredText(node, "role", path));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ".role: " + e.getMessage());
        }
        String name = optionalText(node, "name", path);
        if (role == Role.TOOL && name == null) {
            throw new IllegalArgumentException(
                    path + ": a tool message needs \"name\" (the tool's name, such as functions.get_weather)");
        }
        JsonNode raw = node.get("content");
        List<Content> content = new ArrayList<>();
        if (raw == null || raw.isNull()) {
            throw new IllegalArgumentException(path + ".content: missing (expected a string or an array of content)");
        } else if (raw.isTextual()) {
            content.add(new TextContent(raw.textValue()));
        } else if (raw.isArray()) {
            for (int i = 0; i < raw.size(); i++) content.add(contentFrom(raw.get(i), path + ".content[" + i + "]"));
        } else {
            throw new IllegalArgumentException(path + ".content: expected a string or an array of content");
        }
        return new Message(
                new Author(role, name),
                optionalText(node, "recipient", path),
                optionalText(node, "channel", path),
                optionalText(node, "content_type", path),
                content);
    }

    private static Content contentFrom(JsonNode node, String path) {
        if (node.isTextual()) return new TextContent(node.textValue());
        requireObject(node, path, "a content object");
        String type = requiredText(node, "type", path);
        return switch (type) {
            case "text" -> new TextContent(requiredText(node, "text", path));
            case "system_content" -> systemFrom(node, path);
            case "developer_content" -> developerFrom(node, path);
            default ->
                throw new IllegalArgumentException(path + ".type: unknown content type '" + type
                        + "' (expected text, system_content or developer_content)");
        };
    }

    private static SystemContent systemFrom(JsonNode node, String path) {
        SystemContent.Builder b = SystemContent.builder();
        if (node.has("model_identity")) b.modelIdentity(optionalText(node, "model_identity", path));
        if (node.has("reasoning_effort")) {
            String effort = optionalText(node, "reasoning_effort", path);
            try {
                b.reasoningEffort(effort == null ? null : ReasoningEffort.parse(effort));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(path + ".reasoning_effort: " + e.getMessage());
            }
        }
        if (node.has("conversation_start_date"))
            b.conversationStartDate(optionalText(node, "conversation_start_date", path));
        if (node.has("knowledge_cutoff")) b.knowledgeCutoff(optionalText(node, "knowledge_cutoff", path));
        if (node.has("channel_config")) {
            JsonNode cc = node.get("channel_config");
            if (cc.isNull()) {
                b.channelConfig(null);
            } else {
                String ccPath = path + ".channel_config";
                requireObject(cc, ccPath, "an object with valid_channels and channel_required");
                b.channelConfig(new ChannelConfig(
                        stringList(cc.get("valid_channels"), ccPath + ".valid_channels"),
                        cc.path("channel_required").asBoolean(false)));
            }
        }
        b.tools(toolsFrom(node.get("tools"), path + ".tools"));
        return b.build();
    }

    private static DeveloperContent developerFrom(JsonNode node, String path) {
        DeveloperContent.Builder b = DeveloperContent.builder();
        b.instructions(optionalText(node, "instructions", path));
        b.tools(toolsFrom(node.get("tools"), path + ".tools"));
        JsonNode formats = node.get("response_formats");
        if (formats != null && !formats.isNull()) {
            if (!formats.isArray()) throw new IllegalArgumentException(path + ".response_formats: expected an array");
            for (int i = 0; i < formats.size(); i++) {
                String fp = path + ".response_formats[" + i + "]";
                JsonNode f = formats.get(i);
                requireObject(f, fp, "a response format object");
                JsonNode schema = f.get("schema");
                if (schema == null || !schema.isObject())
                    throw new IllegalArgumentException(fp + ".schema: expected a JSON Schema object");
                b.responseFormat(
                        new ResponseFormat(requiredText(f, "name", fp), optionalText(f, "description", fp), schema));
            }
        }
        return b.build();
    }

    private static Map<String, ToolNamespaceConfig> toolsFrom(JsonNode tools, String path) {
        Map<String, ToolNamespaceConfig> out = new TreeMap<>();
        if (tools == null || tools.isNull()) return out;
        requireObject(tools, path, "an object of tool namespaces by name");
        for (Iterator<Map.Entry<String, JsonNode>> it = tools.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String nsPath = path + "." + e.getKey();
            JsonNode ns = e.getValue();
            requireObject(ns, nsPath, "a tool namespace object");
            String name = ns.has("name") ? requiredText(ns, "name", nsPath) : e.getKey();
            List<ToolDescription> list = new ArrayList<>();
            JsonNode arr = ns.get("tools");
            if (arr != null && !arr.isNull()) {
                if (!arr.isArray()) throw new IllegalArgumentException(nsPath + ".tools: expected an array of tools");
                for (int i = 0; i < arr.size(); i++) {
                    String tp = nsPath + ".tools[" + i + "]";
                    JsonNode t = arr.get(i);
                    requireObject(t, tp, "a tool object");
                    JsonNode params = t.get("parameters");
                    if (params != null && !params.isNull() && !params.isObject()) {
                        throw new IllegalArgumentException(tp + ".parameters: expected a JSON Schema object");
                    }
                    String description = optionalText(t, "description", tp);
                    list.add(new ToolDescription(
                            requiredText(t, "name", tp), description == null ? "" : description, params));
                }
            }
            out.put(name, new ToolNamespaceConfig(name, optionalText(ns, "description", nsPath), list));
        }
        return out;
    }

    private static List<String> stringList(JsonNode node, String path) {
        if (node == null || !node.isArray())
            throw new IllegalArgumentException(path + ": expected an array of strings");
        List<String> out = new ArrayList<>();
        for (JsonNode n : node) {
            if (!n.isTextual()) throw new IllegalArgumentException(path + ": expected an array of strings");
            out.add(n.textValue());
        }
        return out;
    }

    private static JsonNode read(String json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) throw new IllegalArgumentException("empty JSON input");
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "invalid JSON: " + e.getOriginalMessage()
                            + (e.getLocation() != null
                                    ? " at line " + e.getLocation().getLineNr() + ", column "
                                            + e.getLocation().getColumnNr()
                                    : ""),
                    e);
        }
    }

    private static void requireObject(JsonNode node, String path, String what) {
        if (node == null || !node.isObject()) throw new IllegalArgumentException(path + ": expected " + what);
    }

    private static String requiredText(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(
                    path + "." + field + ": " + (v == null ? "missing" : "expected a string"));
        }
        return v.textValue();
    }

    private static String optionalText(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new IllegalArgumentException(path + "." + field + ": expected a string or null");
        return v.textValue();
    }
}
