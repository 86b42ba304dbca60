package dev.gptoss4j.agent.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.engine.harmony.HarmonyStreamParser;
import dev.gptoss4j.engine.harmony.HarmonyText;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.Role;
import dev.gptoss4j.engine.tokenizer.SpecialTokens;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;

/**
 * A loopback server emulating vLLM/Ollama's OpenAI-compatible streaming endpoints, driven by scripted completions
 * in replay form (harmony text, special tokens spelled out, starting after {@code <|start|>assistant}):
 * {@code /v1/completions} streams the completion's tokens (as text with control tokens, and as
 * {@code token_id:N} logprobs when asked), {@code /v1/chat/completions} streams what a server's harmony parser
 * makes of them (reasoning, content, tool calls). Every request is recorded for inspection.
 */
final class OpenAiEmulator implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One recorded request. */
    record Seen(String path, String authorization, JsonNode body) {}

    private final MockWebServer server = new MockWebServer();
    private final Deque<Function<JsonNode, MockResponse>> script = new ArrayDeque<>();
    final List<Seen> requests = Collections.synchronizedList(new ArrayList<>());
    /** The field chat replies carry reasoning in: vLLM's {@code reasoning_content} or Ollama's {@code reasoning}. */
    String reasoningField = "reasoning_content";
    /** Whether {@code /v1/completions} streams the stop token itself (servers differ). */
    boolean streamStopToken;

    int piece = 4;

    OpenAiEmulator() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                JsonNode body;
                try {
                    body = JSON.readTree(request.getBody().readUtf8());
                } catch (IOException e) {
                    return new MockResponse().setResponseCode(400).setBody("{\"error\":{\"message\":\"bad json\"}}");
                }
                requests.add(new Seen(request.getPath(), request.getHeader("Authorization"), body));
                Function<JsonNode, MockResponse> next;
                synchronized (script) {
                    next = script.poll();
                }
                if (next == null) {
                    return new MockResponse()
                            .setResponseCode(500)
                            .setBody("{\"error\":{\"message\":\"the emulator's script ran out\"}}");
                }
                return next.apply(body);
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String baseUrl() {
        String url = server.url("/v1").toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Scripts completions, one per request, answered in the form of the endpoint asked. */
    OpenAiEmulator complete(String... completions) {
        for (String c : completions) then(body -> sse(stream(c, body, false)));
        return this;
    }

    /** Scripts a completion whose connection drops halfway through the body. */
    OpenAiEmulator dropMidStream(String completion) {
        return then(body ->
                sse(stream(completion, body, false)).setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
    }

    /** Scripts a completion whose stream just stops, without finish_reason or [DONE]. */
    OpenAiEmulator truncate(String completion) {
        return then(body -> sse(stream(completion, body, true)));
    }

    /** Scripts any response. */
    OpenAiEmulator then(Function<JsonNode, MockResponse> response) {
        synchronized (script) {
            script.add(response);
        }
        return this;
    }

    OpenAiEmulator respond(MockResponse response) {
        return then(body -> response);
    }

    private static MockResponse sse(List<String> events) {
        StringBuilder sb = new StringBuilder();
        for (String e : events) sb.append("data: ").append(e).append("\n\n");
        return new MockResponse().setHeader("Content-Type", "text/event-stream").setBody(sb.toString());
    }

    private List<String> stream(String completion, JsonNode request, boolean cut) {
        String c = completion.strip();
        if (c.startsWith("<|start|>assistant")) c = c.substring("<|start|>assistant".length());
        List<String> events = request.has("messages") ? chat(c, request) : completions(c, request);
        if (cut) {
            List<String> kept = new ArrayList<>(events.subList(0, Math.max(1, events.size() / 2)));
            return kept;
        }
        return events;
    }

    /** What vLLM's /v1/completions streams for these tokens. */
    private List<String> completions(String completion, JsonNode request) {
        int[] tokens = HarmonyText.tokenize(completion);
        int max = request.path("max_tokens").asInt(Integer.MAX_VALUE);
        int last = tokens.length == 0 ? -1 : tokens[tokens.length - 1];
        boolean stops = last == SpecialTokens.RETURN || last == SpecialTokens.CALL;
        int emitted = stops && !streamStopToken ? tokens.length - 1 : tokens.length;
        boolean length = false;
        if (emitted > max) {
            emitted = max;
            length = true;
        }
        boolean ids = request.path("return_tokens_as_token_ids").asBoolean(false);
        List<String> events = new ArrayList<>();
        for (int i = 0; i < emitted; i += piece) {
            int[] chunk = Arrays.copyOfRange(tokens, i, Math.min(emitted, i + piece));
            ObjectNode choice = chunkEvent(events.size());
            choice.put("text", HarmonyText.detokenize(chunk));
            if (ids) {
                ArrayNode t = choice.putObject("logprobs").putArray("tokens");
                for (int id : chunk) t.add("token_id:" + id);
            } else {
                choice.putNull("logprobs");
            }
            choice.putNull("finish_reason");
            events.add(wrap(choice, "text_completion"));
        }
        ObjectNode end = chunkEvent(events.size());
        end.put("text", "");
        end.put("finish_reason", length ? "length" : "stop");
        if (!length && stops) end.put("stop_reason", last);
        else end.putNull("stop_reason");
        events.add(wrap(end, "text_completion"));
        events.add(usage(request.path("prompt").size(), emitted));
        events.add("[DONE]");
        return events;
    }

    /** What vLLM's /v1/chat/completions streams after its harmony parser read these tokens. */
    private List<String> chat(String completion, JsonNode request) {
        int[] tokens = HarmonyText.tokenize(completion);
        List<Message> messages = HarmonyStreamParser.parse(tokens, Role.ASSISTANT);
        List<String> events = new ArrayList<>();
        boolean called = false;
        for (Message m : messages) {
            if (m.recipient() != null) {
                called = true;
                String name =
                        m.recipient().startsWith("functions.") ? m.recipient().substring(10) : m.recipient();
                ObjectNode start = chunkEvent(events.size());
                ObjectNode call =
                        start.putObject("delta").putArray("tool_calls").addObject();
                call.put("index", 0).put("id", "chatcmpl-tool-" + events.size()).put("type", "function");
                call.putObject("function").put("name", name).put("arguments", "");
                events.add(wrap(start, "chat.completion.chunk"));
                for (String p : pieces(m.text())) {
                    ObjectNode ch = chunkEvent(events.size());
                    ch.putObject("delta")
                            .putArray("tool_calls")
                            .addObject()
                            .put("index", 0)
                            .putObject("function")
                            .put("arguments", p);
                    events.add(wrap(ch, "chat.completion.chunk"));
                }
            } else {
                String field = "analysis".equals(m.channel()) ? reasoningField : "content";
                for (String p : pieces(m.text())) {
                    ObjectNode ch = chunkEvent(events.size());
                    ch.putObject("delta").put(field, p);
                    events.add(wrap(ch, "chat.completion.chunk"));
                }
            }
        }
        ObjectNode end = chunkEvent(events.size());
        end.putObject("delta");
        end.put("finish_reason", called ? "tool_calls" : "stop");
        events.add(wrap(end, "chat.completion.chunk"));
        events.add(usage(request.path("messages").toString().length() / 4, tokens.length));
        events.add("[DONE]");
        return events;
    }

    private List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < text.length(); i += piece) out.add(text.substring(i, Math.min(text.length(), i + piece)));
        return out;
    }

    private static ObjectNode chunkEvent(int index) {
        return JSON.createObjectNode().put("index", 0);
    }

    private static String wrap(ObjectNode choice, String object) {
        ObjectNode e = JSON.createObjectNode()
                .put("id", "cmpl-emulated")
                .put("object", object)
                .put("model", "emu");
        e.putArray("choices").add(choice);
        return e.toString();
    }

    private static String usage(int prompt, int completion) {
        ObjectNode e = JSON.createObjectNode().put("id", "cmpl-emulated");
        e.putArray("choices");
        e.putObject("usage")
                .put("prompt_tokens", prompt)
                .put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
        return e.toString();
    }

    int remaining() {
        synchronized (script) {
            return script.size();
        }
    }

    @Override
    public void close() {
        try {
            server.shutdown();
        } catch (IOException ignored) {
            // the test is over
        }
    }
}
