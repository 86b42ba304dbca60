package dev.gptoss4j.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.engine.harmony.Author;
import dev.gptoss4j.engine.harmony.ChannelConfig;
import dev.gptoss4j.engine.harmony.Content;
import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.DeveloperContent;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.gptoss4j.engine.harmony.ResponseFormat;
import dev.gptoss4j.engine.harmony.Role;
import dev.gptoss4j.engine.harmony.SystemContent;
import dev.gptoss4j.engine.harmony.TextContent;
import dev.gptoss4j.engine.harmony.ToolDescription;
import dev.gptoss4j.engine.harmony.ToolNamespaceConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Conversations to and from JSON in openai/harmony's conversation form ({@code {"messages": [{"role": "user",
 * "content": [{"type": "text", "text": "..."}], "channel": ..., "recipient": ..., "content_type": ...}]}}), so a
 * run can be saved, resumed after a restart, or handed to other harmony tools.
 */
public final class ConversationJson {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ConversationJson() {}

    public static String write(Conversation conversation) {
        try {
            return JSON.writeValueAsString(toTree(conversation));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("conversation could not be written as JSON", e);
        }
    }

    public static void save(Conversation conversation, Path file) {
        try {
            Files.writeString(file, write(conversation));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write conversation to " + file + ": " + e.getMessage(), e);
        }
    }

    public static Conversation load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read conversation " + file + ": " + e.getMessage(), e);
        }
        try {
            return read(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    public static Conversation read(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("conversation is not valid JSON: " + e.getOriginalMessage(), e);
        }
        return fromTree(root);
    }

    public static ObjectNode toTree(Conversation conversation) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode messages = root.putArray("messages");
        for (Message m : conversation.messages()) messages.add(message(m));
        return root;
    }

    public static List<JsonNode> messages(Conversation conversation) {
        List<JsonNode> out = new ArrayList<>();
        for (Message m : conversation.messages()) out.add(message(m));
        return out;
    }

    public static Conversation fromTree(JsonNode root) {
        JsonNode messages = root == null ? null : root.get("messages");
        if (messages == null || !messages.isArray()) {
            throw new IllegalArgumentException("conversation JSON needs a \"messages\" array");
        }
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            try {
                out.add(message(messages.get(i)));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("messages[" + i + "]: " + e.getMessage(), e);
            }
        }
        return Conversation.of(out);
    }

    private static ObjectNode message(Message m) {
        ObjectNode n = JSON.createObjectNode();
        n.put("role", m.role().wireName());
        if (m.author().name() != null) n.put("name", m.author().name());
        ArrayNode content = n.putArray("content");
        for (Content c : m.content()) content.add(content(c));
        if (m.channel() != null) n.put("channel", m.channel());
        if (m.recipient() != null) n.put("recipient", m.recipient());
        if (m.contentType() != null) n.put("content_type", m.contentType());
        return n;
    }

    private static ObjectNode content(Content c) {
        ObjectNode n = JSON.createObjectNode();
        switch (c) {
            case TextContent t -> {
                n.put("type", "text");
                n.put("text", t.text());
            }
            case SystemContent s -> {
                n.put("type", "system_content");
                putIfSet(n, "model_identity", s.modelIdentity());
                if (s.reasoningEffort() != null) n.put("reasoning_effort", s.reasoningEffort().jsonName());
                putIfSet(n, "conversation_start_date", s.conversationStartDate());
                putIfSet(n, "knowledge_cutoff", s.knowledgeCutoff());
                if (s.channelConfig() != null) {
                    ObjectNode cc = n.putObject("channel_config");
                    ArrayNode valid = cc.putArray("valid_channels");
                    s.channelConfig().validChannels().forEach(valid::add);
                    cc.put("channel_required", s.channelConfig().channelRequired());
                }
                if (!s.tools().isEmpty()) {
                    ObjectNode tools = n.putObject("tools");
                    s.tools().forEach((name, ns) -> tools.set(name, namespace(ns)));
                }
            }
            case DeveloperContent d -> {
                n.put("type", "developer_content");
                putIfSet(n, "instructions", d.instructions());
                if (!d.tools().isEmpty()) {
                    ObjectNode tools = n.putObject("tools");
                    d.tools().forEach((name, ns) -> tools.set(name, namespace(ns)));
                }
                if (!d.responseFormats().isEmpty()) {
                    ArrayNode formats = n.putArray("response_formats");
                    for (ResponseFormat f : d.responseFormats()) {
                        ObjectNode fn = formats.addObject();
                        fn.put("name", f.name());
                        putIfSet(fn, "description", f.description());
                        fn.set("schema", f.schema());
                    }
                }
            }
        }
        return n;
    }

    private static ObjectNode namespace(ToolNamespaceConfig ns) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", ns.name());
        putIfSet(n, "description", ns.description());
        ArrayNode tools = n.putArray("tools");
        for (ToolDescription t : ns.tools()) {
            ObjectNode tn = tools.addObject();
            tn.put("name", t.name());
            tn.put("description", t.description());
            if (t.parameters() != null) tn.set("parameters", t.parameters());
        }
        return n;
    }

    private static Message message(JsonNode n) {
        if (n == null || !n.isObject()) throw new IllegalArgumentException("a message must be a JSON object");
        Role role = Role.fromWireName(required(n, "role"));
        Author author = new Author(role, text(n, "name"));
        List<Content> content = new ArrayList<>();
        JsonNode cs = n.get("content");
        if (cs == null) throw new IllegalArgumentException("missing \"content\"");
        if (cs.isTextual()) {
            content.add(new TextContent(cs.asText()));
        } else {
            for (JsonNode c : cs) content.add(content(c));
        }
        return new Message(author, text(n, "recipient"), text(n, "channel"), text(n, "content_type"), content);
    }

    private static Content content(JsonNode c) {
        String type = required(c, "type");
        return switch (type) {
            case "text" -> new TextContent(required(c, "text"));
            case "system_content" -> {
                SystemContent.Builder b = SystemContent.builder()
                        .modelIdentity(text(c, "model_identity"))
                        .reasoningEffort(c.hasNonNull("reasoning_effort")
                                ? ReasoningEffort.parse(c.get("reasoning_effort").asText()) : null)
                        .conversationStartDate(text(c, "conversation_start_date"))
                        .knowledgeCutoff(text(c, "knowledge_cutoff"))
                        .channelConfig(null);
                JsonNode cc = c.get("channel_config");
                if (cc != null && !cc.isNull()) {
                    List<String> valid = new ArrayList<>();
                    cc.path("valid_channels").forEach(v -> valid.add(v.asText()));
                    b.channelConfig(new ChannelConfig(valid, cc.path("channel_required").asBoolean(false)));
                }
                TreeMap<String, ToolNamespaceConfig> tools = namespaces(c.get("tools"));
                b.tools(tools);
                yield b.build();
            }
            case "developer_content" -> {
                DeveloperContent.Builder b = DeveloperContent.builder()
                        .instructions(text(c, "instructions"))
                        .tools(namespaces(c.get("tools")));
                for (JsonNode f : c.path("response_formats")) {
                    b.responseFormat(new ResponseFormat(required(f, "name"), text(f, "description"), f.get("schema")));
                }
                yield b.build();
            }
            default -> throw new IllegalArgumentException(
                    "unknown content type \"" + type + "\" (expected text, system_content or developer_content)");
        };
    }

    private static TreeMap<String, ToolNamespaceConfig> namespaces(JsonNode tools) {
        TreeMap<String, ToolNamespaceConfig> out = new TreeMap<>();
        if (tools == null || tools.isNull()) return out;
        tools.properties().forEach(e -> {
            JsonNode ns = e.getValue();
            List<ToolDescription> list = new ArrayList<>();
            for (JsonNode t : ns.path("tools")) {
                JsonNode p = t.get("parameters");
                list.add(ToolDescription.of(required(t, "name"), t.path("description").asText(""),
                        p == null || p.isNull() ? null : p));
            }
            out.put(e.getKey(), ToolNamespaceConfig.of(ns.path("name").asText(e.getKey()),
                    text(ns, "description"), list));
        });
        return out;
    }

    private static String required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) throw new IllegalArgumentException("missing \"" + field + "\"");
        return v.asText();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static void putIfSet(ObjectNode n, String field, String value) {
        if (value != null) n.put(field, value);
    }
}
