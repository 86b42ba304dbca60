package dev.gptoss4j.serve.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.agent.backend.CompletionListener;
import dev.gptoss4j.agent.backend.TokenLogprob;
import dev.gptoss4j.agent.tool.Tool;
import dev.gptoss4j.agent.tool.ToolOutcome;
import dev.gptoss4j.agent.tool.ToolSet;
import dev.gptoss4j.engine.harmony.Channel;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.MessageHeader;
import dev.gptoss4j.engine.harmony.Role;

/**
 * The output items of a response, built from the harmony stream of every model call: analysis is a
 * {@code reasoning} item, final and commentary text a {@code message} item, a call to a client function a
 * {@code function_call} item, a call to a built-in tool a {@code code_interpreter_call} or {@code web_search_call}
 * item. Each item's events ({@code output_item.added}, deltas, {@code .done}) go out as the tokens come.
 */
final class ResponseOutput implements CompletionListener {

    private enum Kind {
        REASONING,
        MESSAGE,
        FUNCTION_CALL,
        BUILT_IN
    }

    final ArrayNode items = Fields.JSON.createArrayNode();
    private final ResponseEvents events;
    private final ToolSet builtIns;
    private ObjectNode current;
    private Kind kind;
    private final StringBuilder text = new StringBuilder();
    private ObjectNode pendingBuiltIn;
    private int pendingIndex;
    private final Logprobs logprobs;
    private final StringBuilder reasoning = new StringBuilder();
    /** The current message item's answer tokens, for its output_text part. */
    private ArrayNode messageLogprobs = Fields.JSON.createArrayNode();

    ResponseOutput(ResponseEvents events, ToolSet builtIns, boolean logprobs) {
        this.events = events;
        this.builtIns = builtIns;
        this.logprobs = new Logprobs(logprobs);
    }

    /** All the reasoning text of the response, for counting its tokens. */
    String reasoningText() {
        return reasoning.toString();
    }

    @Override
    public void onToken(TokenLogprob token) {
        logprobs.token(token);
    }

    @Override
    public void onMessageStart(MessageHeader header) {
        logprobs.messageStarted(header);
        if (header.role() != Role.ASSISTANT) return;
        messageLogprobs = Fields.JSON.createArrayNode();
        text.setLength(0);
        current = Fields.JSON.createObjectNode();
        String recipient = header.recipient();
        Tool builtIn = recipient == null ? null : builtIns.find(recipient);
        if (builtIn != null && !builtIn.namespace().equals(Tool.FUNCTIONS)) {
            kind = Kind.BUILT_IN;
            if (builtIn.namespace().equals("python")) {
                current.put("id", Ids.next("ci_"))
                        .put("type", "code_interpreter_call")
                        .put("status", "in_progress");
                current.put("code", "").put("container_id", "local");
            } else {
                current.put("id", Ids.next("ws_"))
                        .put("type", "web_search_call")
                        .put("status", "in_progress");
                current.putObject("action").put("type", builtIn.name());
            }
        } else if (recipient != null) {
            kind = Kind.FUNCTION_CALL;
            current.put("id", Ids.next("fc_")).put("type", "function_call").put("status", "in_progress");
            current.put("call_id", Ids.next("call_"))
                    .put("name", Prompt.functionName(recipient))
                    .put("arguments", "");
        } else if (Channel.ANALYSIS.equals(header.channel())) {
            kind = Kind.REASONING;
            current.put("id", Ids.next("rs_")).put("type", "reasoning");
            current.putArray("summary");
            current.putArray("content");
        } else {
            kind = Kind.MESSAGE;
            current.put("id", Ids.next("msg_")).put("type", "message").put("status", "in_progress");
            current.put("role", "assistant");
            current.putArray("content");
        }
        items.add(current);
        events.emit(
                "response.output_item.added",
                ResponseEvents.node().put("output_index", index()).set("item", current.deepCopy()));
        if (kind == Kind.MESSAGE) {
            events.emit(
                    "response.content_part.added", part(ResponseEvents.node()).set("part", textPart("")));
        } else if (kind == Kind.REASONING) {
            events.emit(
                    "response.content_part.added", part(ResponseEvents.node()).set("part", reasoningPart("")));
        }
    }

    @Override
    public void onContentDelta(MessageHeader header, String delta) {
        if (current == null || header.role() != Role.ASSISTANT || delta.isEmpty()) return;
        text.append(delta);
        switch (kind) {
            case MESSAGE -> {
                ArrayNode tokens = logprobs.drain();
                messageLogprobs.addAll(tokens);
                events.emit(
                        "response.output_text.delta",
                        part(ResponseEvents.node()).put("delta", delta).set("logprobs", tokens));
            }
            case REASONING -> {
                reasoning.append(delta);
                events.emit(
                        "response.reasoning_text.delta",
                        part(ResponseEvents.node()).put("delta", delta));
            }
            case FUNCTION_CALL ->
                events.emit(
                        "response.function_call_arguments.delta",
                        ResponseEvents.node()
                                .put("item_id", current.get("id").asText())
                                .put("output_index", index())
                                .put("delta", delta));
            case BUILT_IN -> {} // announced whole once the call is complete
        }
    }

    @Override
    public void onMessageEnd(Message message) {
        logprobs.messageEnded();
        if (current == null || message.role() != Role.ASSISTANT) return;
        finish("completed");
    }

    /** Closes an item the token limit cut off. */
    void finishCut() {
        if (current != null) finish("incomplete");
    }

    private void finish(String status) {
        String t = text.toString();
        switch (kind) {
            case MESSAGE -> {
                messageLogprobs.addAll(logprobs.drain());
                events.emit(
                        "response.output_text.done",
                        part(ResponseEvents.node()).put("text", t).set("logprobs", messageLogprobs.deepCopy()));
                ObjectNode textPart = textPart(t);
                textPart.set("logprobs", messageLogprobs);
                events.emit(
                        "response.content_part.done",
                        part(ResponseEvents.node()).set("part", textPart.deepCopy()));
                current.withArray("content").add(textPart);
                current.put("status", status);
            }
            case REASONING -> {
                events.emit(
                        "response.reasoning_text.done",
                        part(ResponseEvents.node()).put("text", t));
                events.emit(
                        "response.content_part.done",
                        part(ResponseEvents.node()).set("part", reasoningPart(t)));
                current.withArray("content").add(reasoningPart(t));
            }
            case FUNCTION_CALL -> {
                events.emit(
                        "response.function_call_arguments.done",
                        ResponseEvents.node()
                                .put("item_id", current.get("id").asText())
                                .put("output_index", index())
                                .put("name", current.get("name").asText())
                                .put("arguments", t));
                current.put("arguments", t).put("status", status);
            }
            case BUILT_IN -> {
                if (current.get("type").asText().equals("code_interpreter_call")) current.put("code", t);
                else current.withObject("action").setAll(browserAction(t));
                if (status.equals("completed")) {
                    // done once the tool has run (see builtInFinished)
                    pendingBuiltIn = current;
                    pendingIndex = index();
                    current = null;
                    return;
                }
                current.put("status", status);
            }
        }
        events.emit(
                "response.output_item.done",
                ResponseEvents.node().put("output_index", index()).set("item", current.deepCopy()));
        current = null;
    }

    /** The built-in call the model just made ran: its item is complete. */
    void builtInFinished(ToolOutcome outcome) {
        if (pendingBuiltIn == null) return;
        ObjectNode item = pendingBuiltIn;
        item.put("status", outcome.ok() ? "completed" : "failed");
        if (item.get("type").asText().equals("code_interpreter_call")) {
            item.putArray("outputs").addObject().put("type", "logs").put("logs", outcome.text());
        }
        events.emit(
                "response.output_item.done",
                ResponseEvents.node().put("output_index", pendingIndex).set("item", item.deepCopy()));
        pendingBuiltIn = null;
    }

    /** Whether any item is a message (the response has something to show). */
    boolean hasMessage() {
        for (var item : items) if (item.get("type").asText().equals("message")) return true;
        return false;
    }

    private ObjectNode browserAction(String arguments) {
        ObjectNode action = Fields.JSON.createObjectNode();
        try {
            var args = Fields.JSON.readTree(arguments);
            if (args != null && args.isObject()) action.setAll((ObjectNode) args);
        } catch (Exception e) {
            action.put("arguments", arguments);
        }
        return action;
    }

    private int index() {
        return items.size() - 1;
    }

    private ObjectNode part(ObjectNode n) {
        return n.put("item_id", current.get("id").asText())
                .put("output_index", index())
                .put("content_index", 0);
    }

    private static ObjectNode textPart(String text) {
        ObjectNode p = Fields.JSON.createObjectNode().put("type", "output_text").put("text", text);
        p.putArray("annotations");
        p.putArray("logprobs");
        return p;
    }

    private static ObjectNode reasoningPart(String text) {
        return Fields.JSON.createObjectNode().put("type", "reasoning_text").put("text", text);
    }
}
