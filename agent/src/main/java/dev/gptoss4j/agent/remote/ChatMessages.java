package dev.gptoss4j.agent.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.agent.tool.Tool;
import dev.gptoss4j.engine.harmony.Channel;
import dev.gptoss4j.engine.harmony.Content;
import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.DeveloperContent;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.gptoss4j.engine.harmony.ResponseFormat;
import dev.gptoss4j.engine.harmony.SystemContent;
import dev.gptoss4j.engine.harmony.ToolDescription;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A harmony conversation as Chat Completions messages. The server renders its own harmony prompt from these, so
 * what our system message says (identity, date) is left to it; what matters crosses over: the developer's
 * instructions (as a {@code system} message), function tools (as {@code tools}), reasoning effort, response
 * formats, the current turn's chain of thought (on the assistant message, in the server's reasoning field), tool
 * calls with ids and their results.
 *
 * <p>Harmony messages carry no call ids, so ids are made from the call's position in the conversation
 * ({@code call_7}): stable across requests, so the server sees the same history each time (and can reuse its
 * prefix cache).
 */
final class ChatMessages {

    static final String FUNCTIONS_PREFIX = Tool.FUNCTIONS + ".";

    /** What a conversation becomes: the messages and the request fields taken from its system/developer parts. */
    record Mapped(ArrayNode messages, ArrayNode tools, ReasoningEffort effort, ResponseFormat responseFormat) {}

    private ChatMessages() {}

    /**
     * @param reasoningField the assistant-message field that carries chain of thought back to the server
     *                       ({@code reasoning_content} for vLLM, {@code reasoning} for Ollama/OpenRouter), or
     *                       {@code null} to drop it
     */
    static Mapped map(Conversation conversation, String reasoningField) {
        ArrayNode out = OpenAiClient.JSON.createArrayNode();
        ArrayNode tools = OpenAiClient.JSON.createArrayNode();
        ReasoningEffort effort = null;
        ResponseFormat format = null;
        StringBuilder reasoning = new StringBuilder();
        StringBuilder preamble = new StringBuilder();
        Deque<String[]> pendingCalls = new ArrayDeque<>(); // {recipient, id} awaiting their results
        List<Message> messages = conversation.messages();
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            switch (m.role()) {
                case SYSTEM -> {
                    for (Content c : m.content()) {
                        if (c instanceof SystemContent sc && sc.reasoningEffort() != null)
                            effort = sc.reasoningEffort();
                    }
                }
                case DEVELOPER -> {
                    StringBuilder text = new StringBuilder();
                    for (Content c : m.content()) {
                        if (c instanceof DeveloperContent dc) {
                            if (dc.instructions() != null) text.append(dc.instructions());
                            for (ToolDescription t : dc.functionTools()) tools.add(tool(t));
                            if (!dc.responseFormats().isEmpty())
                                format = dc.responseFormats().getFirst();
                        } else if (c instanceof dev.gptoss4j.engine.harmony.TextContent tc) {
                            text.append(tc.text());
                        }
                    }
                    if (!text.isEmpty()) out.addObject().put("role", "system").put("content", text.toString());
                }
                case USER -> {
                    flushPreamble(out, preamble, reasoning, reasoningField);
                    reasoning.setLength(0); // thinking that led to no answer stays in its turn
                    out.addObject().put("role", "user").put("content", m.text());
                }
                case ASSISTANT -> {
                    if (Channel.ANALYSIS.equals(m.channel()) && m.recipient() == null) {
                        if (!reasoning.isEmpty()) reasoning.append('\n');
                        reasoning.append(m.text());
                    } else if (m.recipient() != null) {
                        String id = "call_" + i;
                        ObjectNode a = out.addObject().put("role", "assistant");
                        if (preamble.isEmpty()) a.putNull("content");
                        else a.put("content", preamble.toString());
                        preamble.setLength(0);
                        putReasoning(a, reasoning, reasoningField);
                        ObjectNode call = a.putArray("tool_calls").addObject();
                        call.put("id", id).put("type", "function");
                        call.putObject("function")
                                .put("name", functionName(m.recipient()))
                                .put("arguments", m.text());
                        pendingCalls.add(new String[] {m.recipient(), id});
                    } else if (Channel.COMMENTARY.equals(m.channel())) {
                        // a preamble to the user: goes with the tool call that usually follows
                        if (!preamble.isEmpty()) preamble.append('\n');
                        preamble.append(m.text());
                    } else {
                        flushPreamble(out, preamble, reasoning, reasoningField);
                        ObjectNode a = out.addObject().put("role", "assistant").put("content", m.text());
                        putReasoning(a, reasoning, reasoningField);
                    }
                }
                case TOOL -> {
                    String[] call = matchCall(pendingCalls, m.author().name());
                    if (call != null) {
                        out.addObject()
                                .put("role", "tool")
                                .put("tool_call_id", call[1])
                                .put("content", m.text());
                    } else {
                        // a result with no call before it (an edited conversation): keep what it says
                        out.addObject()
                                .put("role", "user")
                                .put("content", "Result of " + m.author().name() + ":\n" + m.text());
                    }
                }
            }
        }
        flushPreamble(out, preamble, reasoning, reasoningField);
        return new Mapped(out, tools, effort, format);
    }

    /** The chat function name of a harmony recipient ({@code functions.get_weather} -> {@code get_weather}). */
    static String functionName(String recipient) {
        String r = recipient.strip();
        int space = r.indexOf(' ');
        if (space > 0) r = r.substring(0, space);
        return r.startsWith(FUNCTIONS_PREFIX) ? r.substring(FUNCTIONS_PREFIX.length()) : r;
    }

    private static String[] matchCall(Deque<String[]> pending, String toolName) {
        for (var it = pending.iterator(); it.hasNext(); ) {
            String[] call = it.next();
            if (toolName == null || functionName(call[0]).equals(functionName(toolName))) {
                it.remove();
                return call;
            }
        }
        return null;
    }

    private static void flushPreamble(ArrayNode out, StringBuilder preamble, StringBuilder reasoning, String field) {
        if (preamble.isEmpty()) return;
        ObjectNode a = out.addObject().put("role", "assistant").put("content", preamble.toString());
        putReasoning(a, reasoning, field);
        preamble.setLength(0);
    }

    private static void putReasoning(ObjectNode assistant, StringBuilder reasoning, String field) {
        if (field != null && !reasoning.isEmpty()) assistant.put(field, reasoning.toString());
        reasoning.setLength(0);
    }

    private static ObjectNode tool(ToolDescription t) {
        ObjectNode n = OpenAiClient.JSON.createObjectNode().put("type", "function");
        ObjectNode f = n.putObject("function").put("name", t.name()).put("description", t.description());
        JsonNode p = t.parameters();
        if (p != null) f.set("parameters", p);
        else f.putObject("parameters").put("type", "object").putObject("properties");
        return n;
    }

    /** {@code response_format} of the Chat Completions API for a harmony response format. */
    static ObjectNode responseFormat(ResponseFormat format) {
        ObjectNode rf = OpenAiClient.JSON.createObjectNode().put("type", "json_schema");
        ObjectNode js = rf.putObject("json_schema").put("name", format.name().replaceAll("[^A-Za-z0-9_-]", "_"));
        if (format.description() != null) js.put("description", format.description());
        js.set("schema", format.schema());
        return rf;
    }

    /** The names of the function tools, for error messages. */
    static List<String> toolNames(ArrayNode tools) {
        List<String> names = new ArrayList<>();
        tools.forEach(t -> names.add(t.path("function").path("name").asText()));
        return names;
    }
}
