package dev.gptoss4j.agent.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gptoss4j.agent.backend.Completion;
import dev.gptoss4j.agent.backend.CompletionListener;
import dev.gptoss4j.engine.harmony.Author;
import dev.gptoss4j.engine.harmony.Channel;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.MessageHeader;
import dev.gptoss4j.engine.harmony.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a Chat Completions stream back into harmony messages, streaming them to a {@link CompletionListener} as
 * the local backends do: reasoning ({@code reasoning_content} from vLLM, {@code reasoning} from Ollama and
 * OpenRouter) becomes an {@code analysis} message, content a {@code final} answer, a tool call a
 * {@code commentary} message to {@code functions.NAME}.
 *
 * <p>Content is streamed as the final answer as it comes; when a tool call follows it after all, it was a preamble,
 * and the finished message says so ({@code commentary} channel). Only the first tool call of a reply is kept (the
 * request asks for one at a time): the agent runs one call per step, and an answer-less extra call would break the
 * next request's history.
 */
final class ChatStream {

    private enum Kind {
        NONE,
        ANALYSIS,
        TEXT,
        CALL
    }

    private final CompletionListener listener;
    private final List<Message> messages = new ArrayList<>();
    private Kind open = Kind.NONE;
    private MessageHeader header;
    private final StringBuilder text = new StringBuilder();
    private boolean called;
    private Integer callIndex;
    private String callId;
    private String finishReason;
    private int promptTokens = -1;
    private int completionTokens = -1;
    private int events;

    ChatStream(CompletionListener listener) {
        this.listener = listener;
    }

    /** Reads one chunk of the stream (or a whole non-streamed answer, whose {@code message} reads as a delta). */
    void accept(JsonNode chunk) {
        events++;
        JsonNode usage = chunk.path("usage");
        if (usage.isObject()) {
            if (usage.has("prompt_tokens"))
                promptTokens = usage.get("prompt_tokens").asInt();
            if (usage.has("completion_tokens"))
                completionTokens = usage.get("completion_tokens").asInt();
        }
        JsonNode choice = chunk.path("choices").path(0);
        if (choice.isMissingNode()) return;
        JsonNode delta = choice.has("delta") ? choice.get("delta") : choice.path("message");
        String reasoning = firstText(delta, "reasoning_content", "reasoning");
        if (reasoning != null && !reasoning.isEmpty() && !called) {
            switchTo(Kind.ANALYSIS, new MessageHeader(Author.of(Role.ASSISTANT), null, Channel.ANALYSIS, null));
            append(reasoning);
        }
        String content = firstText(delta, "content");
        if (content != null && !content.isEmpty() && !called) {
            switchTo(Kind.TEXT, new MessageHeader(Author.of(Role.ASSISTANT), null, Channel.FINAL, null));
            append(content);
        }
        JsonNode calls = delta.path("tool_calls");
        if (calls.isArray()) {
            for (JsonNode call : calls) acceptCall(call);
        }
        JsonNode finish = choice.path("finish_reason");
        if (finish.isTextual()) finishReason = finish.asText();
    }

    private void acceptCall(JsonNode call) {
        Integer index = call.has("index") ? call.get("index").asInt() : null;
        JsonNode function = call.path("function");
        String name = function.path("name").asText("");
        String id = call.path("id").asText("");
        boolean another =
                (index != null && !index.equals(callIndex)) || (!id.isEmpty() && callId != null && !id.equals(callId));
        if (open != Kind.CALL || another) {
            if (called) return; // a second call: dropped, see the class comment
            if (name.isEmpty()) return; // argument pieces of a call whose name never came
            called = true;
            callIndex = index;
            callId = id.isEmpty() ? null : id;
            switchTo(
                    Kind.CALL,
                    new MessageHeader(
                            Author.of(Role.ASSISTANT),
                            ChatMessages.FUNCTIONS_PREFIX + name,
                            Channel.COMMENTARY,
                            "<|constrain|>json"));
        }
        String args = function.path("arguments").isTextual()
                ? function.get("arguments").asText()
                : function.path("arguments").isObject()
                        ? function.get("arguments").toString()
                        : null;
        if (args != null && !args.isEmpty()) append(args);
    }

    private void switchTo(Kind kind, MessageHeader next) {
        if (open == kind && kind != Kind.CALL) return;
        close(kind == Kind.CALL);
        open = kind;
        header = next;
        listener.onMessageStart(next);
    }

    private void append(String delta) {
        text.append(delta);
        listener.onContentDelta(header, delta);
    }

    /** Ends the open message; text followed by a tool call was a preamble. */
    private void close(boolean callFollows) {
        if (open == Kind.NONE) return;
        String channel = open == Kind.TEXT && callFollows ? Channel.COMMENTARY : header.channel();
        Message m = Message.builder(Author.of(Role.ASSISTANT))
                .recipient(header.recipient())
                .channel(channel)
                .contentType(header.contentType())
                .text(text.toString())
                .build();
        messages.add(m);
        listener.onMessageEnd(m);
        open = Kind.NONE;
        text.setLength(0);
    }

    /** Whether the server said how the completion ended. */
    boolean finished() {
        return finishReason != null;
    }

    int events() {
        return events;
    }

    /** The completion after the stream ended. */
    Completion complete(int estimatedPromptTokens, int estimatedCompletionTokens) {
        Completion.Finish finish;
        if ("length".equals(finishReason)) {
            finish = Completion.Finish.LENGTH; // the open message was cut off: left out
        } else {
            close(false);
            finish = called ? Completion.Finish.CALL : Completion.Finish.RETURN;
        }
        return new Completion(
                messages,
                finish,
                promptTokens >= 0 ? promptTokens : estimatedPromptTokens,
                completionTokens >= 0 ? completionTokens : estimatedCompletionTokens);
    }

    /** The completion when the run was cancelled mid-stream: only the messages already complete. */
    Completion cancelled(int estimatedPromptTokens, int estimatedCompletionTokens) {
        return new Completion(messages, Completion.Finish.CANCELLED, estimatedPromptTokens, estimatedCompletionTokens);
    }

    /** All text generated so far, for token estimates when the server reports no usage. */
    String generatedText() {
        StringBuilder sb = new StringBuilder();
        for (Message m : messages) sb.append(m.text());
        return sb.append(text).toString();
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String f : fields) {
            JsonNode v = node.path(f);
            if (v.isTextual()) return v.asText();
        }
        return null;
    }
}
