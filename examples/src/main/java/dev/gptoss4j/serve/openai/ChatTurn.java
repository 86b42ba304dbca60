package dev.gptoss4j.serve.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.agent.backend.CompletionListener;
import dev.gptoss4j.agent.backend.TokenLogprob;
import dev.gptoss4j.agent.langchain4j.StopSequences;
import dev.gptoss4j.engine.harmony.Channel;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.MessageHeader;
import dev.gptoss4j.engine.harmony.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One assistant turn in chat-completions terms, gathered from the harmony stream: analysis is
 * {@code reasoning_content}, final and commentary text is {@code content}, messages addressed to a tool are
 * {@code tool_calls}. With a delta sink, every piece also goes out as a chunk's {@code delta} as it comes. Content
 * passes through the request's stop sequences: none of one is ever shown, and once one appears the turn is over.
 */
final class ChatTurn implements CompletionListener {

    record ToolCallOut(String id, String name, StringBuilder arguments) {}

    final StringBuilder reasoning = new StringBuilder();
    final StringBuilder content = new StringBuilder();
    final List<ToolCallOut> toolCalls = new ArrayList<>();
    final Logprobs logprobs;
    private final Consumer<ObjectNode> deltas;
    private final StopSequences stops;

    /**
     * @param deltas   receives each chunk delta, or {@code null} when nothing streams
     * @param stop     the request's stop sequences (empty for none)
     * @param logprobs gathers the content tokens' log-probabilities (when the request asked for them)
     */
    ChatTurn(Consumer<ObjectNode> deltas, List<String> stop, Logprobs logprobs) {
        this.deltas = deltas;
        this.stops = new StopSequences(stop);
        this.logprobs = logprobs;
    }

    /** Whether a stop sequence appeared: generation should stop, the answer is what came before it. */
    boolean stopped() {
        return stops.stopped();
    }

    /** At the end of the completion: content held back because it might have begun a stop sequence. */
    void finish() {
        if (stops.active()) content(stops.flush());
    }

    private void content(String text) {
        if (text.isEmpty()) return;
        content.append(text);
        if (deltas != null) deltas.accept(Fields.JSON.createObjectNode().put("content", text));
    }

    @Override
    public void onToken(TokenLogprob token) {
        logprobs.token(token);
    }

    @Override
    public void onMessageEnd(Message message) {
        logprobs.messageEnded();
    }

    @Override
    public void onMessageStart(MessageHeader header) {
        logprobs.messageStarted(header);
        if (header.role() != Role.ASSISTANT || header.recipient() == null) return;
        ToolCallOut call =
                new ToolCallOut(Ids.next("call_"), Prompt.functionName(header.recipient()), new StringBuilder());
        toolCalls.add(call);
        if (deltas != null) {
            ObjectNode tc = toolCallDelta(toolCalls.size() - 1);
            tc.put("id", call.id()).put("type", "function");
            ((ObjectNode) tc.get("function")).put("name", call.name()).put("arguments", "");
            deltas.accept(wrap(tc));
        }
    }

    @Override
    public void onContentDelta(MessageHeader header, String delta) {
        if (header.role() != Role.ASSISTANT || delta.isEmpty()) return;
        if (header.recipient() != null && !toolCalls.isEmpty()) {
            toolCalls.getLast().arguments().append(delta);
            if (deltas != null) {
                ObjectNode tc = toolCallDelta(toolCalls.size() - 1);
                ((ObjectNode) tc.get("function")).put("arguments", delta);
                deltas.accept(wrap(tc));
            }
        } else if (Channel.ANALYSIS.equals(header.channel())) {
            reasoning.append(delta);
            if (deltas != null) deltas.accept(Fields.JSON.createObjectNode().put("reasoning_content", delta));
        } else {
            content(stops.active() ? stops.accept(delta) : delta);
        }
    }

    private static ObjectNode toolCallDelta(int index) {
        ObjectNode tc = Fields.JSON.createObjectNode();
        tc.put("index", index);
        tc.putObject("function");
        return tc;
    }

    private static ObjectNode wrap(ObjectNode toolCall) {
        ObjectNode delta = Fields.JSON.createObjectNode();
        delta.putArray("tool_calls").add(toolCall);
        return delta;
    }

    /** The whole message, for a response that does not stream. */
    ObjectNode message() {
        ObjectNode m = Fields.JSON.createObjectNode();
        m.put("role", "assistant");
        if (content.isEmpty() && !toolCalls.isEmpty()) m.putNull("content");
        else m.put("content", content.toString());
        if (!reasoning.isEmpty()) m.put("reasoning_content", reasoning.toString());
        if (!toolCalls.isEmpty()) {
            var array = m.putArray("tool_calls");
            for (ToolCallOut c : toolCalls) {
                ObjectNode tc = array.addObject();
                tc.put("id", c.id()).put("type", "function");
                tc.putObject("function")
                        .put("name", c.name())
                        .put("arguments", c.arguments().toString());
            }
        }
        return m;
    }
}
