package dev.gptoss4j.serve.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.agent.backend.BackendException;
import dev.gptoss4j.agent.backend.Completion;
import dev.gptoss4j.agent.backend.MalformedCompletionException;
import dev.gptoss4j.serve.http.ApiException;
import dev.gptoss4j.serve.http.ClientGoneException;
import dev.gptoss4j.serve.http.HttpCall;
import dev.gptoss4j.serve.http.HttpHost;
import dev.gptoss4j.serve.http.SseStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code POST /v1/chat/completions}: one model call per request. The client runs its own tools: a completion that
 * ends in {@code <|call|>} comes back as {@code tool_calls} with {@code finish_reason: "tool_calls"}.
 */
public final class ChatCompletions implements HttpHost.Handler {

    private final ApiSettings settings;
    private final BackendPool pool;

    public ChatCompletions(ApiSettings settings, BackendPool pool) {
        this.settings = settings;
        this.pool = pool;
    }

    @Override
    public void handle(HttpCall call) {
        ChatRequest request = ChatRequest.parse(Fields.parseObject(call.body()), settings);
        try (BackendPool.Lease lease = pool.acquire()) {
            if (request.stream()) stream(call, request, lease.backend());
            else respond(call, request, lease);
        }
    }

    private void respond(HttpCall call, ChatRequest request, BackendPool.Lease lease) {
        Backend backend = lease.backend();
        for (int attempt = 0; ; attempt++) {
            ChatTurn turn = new ChatTurn(null, request.stop(), new Logprobs(request.topLogprobs() >= 0));
            Completion completion;
            try {
                completion = backend.complete(request.completion(turn::stopped), turn);
            } catch (MalformedCompletionException e) {
                if (attempt < settings.maxRetries()) continue; // sampling again usually gives well-formed output
                throw malformed(e);
            } catch (BackendException e) {
                throw ApiException.server("backend_error", e.getMessage());
            }
            turn.finish();
            ObjectNode root = envelope("chat.completion");
            ObjectNode choice = root.putArray("choices").addObject();
            choice.put("index", 0);
            choice.set("message", turn.message());
            choice.set("logprobs", logprobs(turn.logprobs, turn.logprobs.all()));
            choice.put("finish_reason", finishReason(completion, turn));
            root.set("usage", usage(completion, turn));
            // The backend is free once the answer exists: a client that reads it and asks again finds a slot.
            lease.close();
            call.respondJson(200, root.toString());
            return;
        }
    }

    private void stream(HttpCall call, ChatRequest request, Backend backend) {
        SseStream sse = call.startSse();
        AtomicBoolean cancelled = new AtomicBoolean();
        ObjectNode template = envelope("chat.completion.chunk");
        Logprobs logprobs = new Logprobs(request.topLogprobs() >= 0);
        ChatTurn turn = new ChatTurn(
                delta -> send(sse, chunk(template, delta, null, request, logprobs), cancelled),
                request.stop(),
                logprobs);
        send(
                sse,
                chunk(
                        template,
                        Fields.JSON.createObjectNode().put("role", "assistant").put("content", ""),
                        null,
                        request,
                        logprobs),
                cancelled);
        Completion completion;
        try {
            completion = backend.complete(request.completion(() -> cancelled.get() || turn.stopped()), turn);
        } catch (MalformedCompletionException e) {
            throw malformed(e); // written as a last error event by the host
        } catch (BackendException e) {
            throw ApiException.server("backend_error", e.getMessage());
        }
        if (cancelled.get() || completion.finish() == Completion.Finish.CANCELLED && !turn.stopped()) {
            throw new ClientGoneException(null);
        }
        turn.finish();
        send(
                sse,
                chunk(template, Fields.JSON.createObjectNode(), finishReason(completion, turn), request, logprobs),
                cancelled);
        if (request.includeUsage()) {
            ObjectNode last = template.deepCopy();
            last.putArray("choices");
            last.set("usage", usage(completion, turn));
            send(sse, last.toString(), cancelled);
        }
        sse.send(null, "[DONE]");
    }

    /** A failed write marks the request cancelled: the backend stops at its next token. */
    private static void send(SseStream sse, String data, AtomicBoolean cancelled) {
        if (cancelled.get()) return;
        try {
            sse.send(null, data);
        } catch (ClientGoneException e) {
            cancelled.set(true);
        }
    }

    private static String chunk(
            ObjectNode template, ObjectNode delta, String finishReason, ChatRequest request, Logprobs logprobs) {
        ObjectNode c = template.deepCopy();
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        // the tokens of the text this chunk carries (they are reported just before their text)
        ArrayNode tokens = logprobs.drain();
        choice.set("logprobs", tokens.isEmpty() ? null : logprobs(logprobs, tokens));
        choice.put("finish_reason", finishReason);
        if (request.includeUsage()) c.putNull("usage");
        return c.toString();
    }

    private ObjectNode envelope(String object) {
        ObjectNode root = Fields.JSON.createObjectNode();
        root.put("id", Ids.next("chatcmpl-"));
        root.put("object", object);
        root.put("created", System.currentTimeMillis() / 1000);
        root.put("model", settings.modelId());
        root.put("system_fingerprint", "gptoss4j");
        return root;
    }

    private static String finishReason(Completion completion, ChatTurn turn) {
        if (turn.stopped()) return "stop";
        return switch (completion.finish()) {
            case CALL -> turn.toolCalls.isEmpty() ? "stop" : "tool_calls";
            case LENGTH -> "length";
            case RETURN, CANCELLED -> "stop";
        };
    }

    /** {@code {"content": [...], "refusal": null}}, or JSON null when the request did not ask. */
    private static JsonNode logprobs(Logprobs logprobs, ArrayNode tokens) {
        if (!logprobs.wanted()) return NullNode.getInstance();
        ObjectNode l = Fields.JSON.createObjectNode();
        l.set("content", tokens);
        l.putNull("refusal");
        return l;
    }

    /** Token counts; the reasoning is counted in o200k tokens of its text. */
    static ObjectNode usage(Completion c, ChatTurn turn) {
        ObjectNode u = Fields.JSON.createObjectNode();
        u.put("prompt_tokens", c.promptTokens());
        u.put("completion_tokens", c.completionTokens());
        u.put("total_tokens", c.promptTokens() + c.completionTokens());
        u.putObject("prompt_tokens_details").put("cached_tokens", 0);
        u.putObject("completion_tokens_details")
                .put(
                        "reasoning_tokens",
                        Math.min(c.completionTokens(), ContextWindow.count(turn.reasoning.toString())));
        return u;
    }

    static ApiException malformed(MalformedCompletionException e) {
        return ApiException.server(
                "malformed_completion", "the model's output broke the harmony format: " + e.getMessage());
    }
}
