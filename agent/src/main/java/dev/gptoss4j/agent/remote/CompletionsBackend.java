package dev.gptoss4j.agent.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.agent.backend.Completion;
import dev.gptoss4j.agent.backend.CompletionListener;
import dev.gptoss4j.agent.backend.CompletionRequest;
import dev.gptoss4j.agent.backend.HarmonyCompletion;
import dev.gptoss4j.agent.backend.MalformedCompletionException;
import dev.gptoss4j.engine.harmony.HarmonyRenderer;
import dev.gptoss4j.engine.harmony.HarmonyText;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.MessageHeader;
import dev.gptoss4j.engine.tokenizer.SpecialTokens;
import dev.gptoss4j.engine.tokenizer.Tokenizer;

/**
 * A remote gpt-oss behind a raw {@code /v1/completions} endpoint, as vLLM serves it, with our own harmony
 * rendering and parsing: the prompt is exactly what {@link HarmonyRenderer} makes (sent as token ids, or as text),
 * and the output goes token by token through the same {@link HarmonyCompletion} as the local engine's. So every
 * tool namespace works, malformed output is caught and corrected the same way, and nothing depends on the server's
 * chat template.
 *
 * <p>vLLM request extensions used: {@code stop_token_ids} ({@code <|return|>}, {@code <|call|>}),
 * {@code skip_special_tokens: false} and {@code spaces_between_special_tokens: false} (so the harmony control
 * tokens come back verbatim), and with {@link Builder#tokenIds} (default) {@code return_tokens_as_token_ids} with
 * {@code logprobs}, so the output is read as token ids, token-exact. The stop token, which servers often leave out
 * of the text, is taken from {@code stop_reason} or, failing that, from the message being written (a message to a
 * recipient ends with {@code <|call|>}).
 */
public final class CompletionsBackend implements Backend {

    private static final String TOKEN_ID_PREFIX = "token_id:";

    private static final String PATH = "/completions";

    private final StreamingEndpoint endpoint;
    private final boolean tokenIds;
    private final boolean promptAsText;
    private final HarmonyRenderer renderer = HarmonyRenderer.create();

    private CompletionsBackend(Builder b) {
        this.endpoint = b.endpoint("completions backend");
        this.tokenIds = b.tokenIds;
        this.promptAsText = b.promptAsText;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Completion complete(CompletionRequest request, CompletionListener listener) {
        int[] prompt = renderer.renderForCompletion(request.conversation());
        ObjectNode body = endpoint.streamingBody();
        if (promptAsText) {
            body.put("prompt", HarmonyText.detokenize(prompt));
        } else {
            ArrayNode ids = body.putArray("prompt");
            for (int t : prompt) ids.add(t);
        }
        body.put("max_tokens", request.maxTokens());
        body.putArray("stop_token_ids").add(SpecialTokens.RETURN).add(SpecialTokens.CALL);
        body.put("skip_special_tokens", false);
        body.put("spaces_between_special_tokens", false);
        if (tokenIds) {
            body.put("return_tokens_as_token_ids", true);
            body.put("logprobs", 1);
        }

        Reader reader = new Reader(renderer.tokenizer(), listener, request.maxTokens());
        OpenAiClient.StreamEnd end = endpoint.stream(PATH, body, request, reader::accept);
        if (reader.done) return reader.completion.complete(prompt.length);
        if (end == OpenAiClient.StreamEnd.CANCELLED || request.cancelled().getAsBoolean()) {
            return reader.completion.stopped(Completion.Finish.CANCELLED, prompt.length);
        }
        reader.flushText();
        if (reader.done) return reader.completion.complete(prompt.length);
        if ("length".equals(reader.finishReason) || reader.completion.tokenCount() >= request.maxTokens()) {
            return reader.completion.stopped(Completion.Finish.LENGTH, prompt.length);
        }
        if (reader.finishReason == null) {
            throw endpoint.endedEarly(PATH, reader.completion.tokenCount() + " tokens");
        }
        int stop = reader.stopToken();
        if (reader.completion.accept(stop)) return reader.completion.complete(prompt.length);
        throw new MalformedCompletionException(
                "the completion ended (" + reader.finishReason + ") without <|return|> or <|call|>",
                reader.completion.text());
    }

    /** Feeds the streamed output into a {@link HarmonyCompletion}. */
    private static final class Reader {
        final Tokenizer tokenizer;
        final HarmonyCompletion completion;
        final int maxTokens;
        final StringBuilder pendingText = new StringBuilder();
        MessageHeader writing; // the message being written, to tell which stop token ended it
        String finishReason;
        JsonNode stopReason;
        boolean done;

        Reader(Tokenizer tokenizer, CompletionListener listener, int maxTokens) {
            this.tokenizer = tokenizer;
            this.maxTokens = maxTokens;
            this.completion = new HarmonyCompletion(tokenizer, new CompletionListener() {
                @Override
                public void onMessageStart(MessageHeader header) {
                    writing = header;
                    listener.onMessageStart(header);
                }

                @Override
                public void onContentDelta(MessageHeader header, String delta) {
                    listener.onContentDelta(header, delta);
                }

                @Override
                public void onMessageEnd(Message message) {
                    writing = null;
                    listener.onMessageEnd(message);
                }
            });
        }

        void accept(JsonNode chunk) {
            JsonNode choice = chunk.path("choices").path(0);
            if (choice.isMissingNode()) return;
            if (choice.path("finish_reason").isTextual())
                finishReason = choice.get("finish_reason").asText();
            if (choice.hasNonNull("stop_reason")) stopReason = choice.get("stop_reason");
            if (done) return; // output after the stop token is never read, as a sampler stops there
            JsonNode tokens = choice.path("logprobs").path("tokens");
            if (tokens.isArray() && !tokens.isEmpty() && tokens.get(0).asText().startsWith(TOKEN_ID_PREFIX)) {
                for (JsonNode t : tokens) {
                    String s = t.asText();
                    if (!s.startsWith(TOKEN_ID_PREFIX)) {
                        throw new HttpCallException(
                                "the server mixed token ids and text in its logprobs ('" + s
                                        + "'); turn tokenIds off for this server",
                                0);
                    }
                    int id;
                    try {
                        id = Integer.parseInt(
                                s.substring(TOKEN_ID_PREFIX.length()).strip());
                    } catch (NumberFormatException e) {
                        throw new HttpCallException("the server sent a bad token id '" + s + "'", 0);
                    }
                    if (feed(id)) return;
                }
                return;
            }
            String text = choice.path("text").asText("");
            if (!text.isEmpty()) {
                pendingText.append(text);
                feedText(false);
            }
        }

        /** Tokenizes the text received so far, holding back a special token's spelling that may be split. */
        private void feedText(boolean all) {
            int cut = pendingText.length();
            if (!all) {
                int open = pendingText.lastIndexOf("<|");
                if (open >= 0 && pendingText.indexOf("|>", open) < 0) cut = open;
                else if (pendingText.charAt(pendingText.length() - 1) == '<') cut = pendingText.length() - 1;
            }
            if (cut == 0) return;
            String ready = pendingText.substring(0, cut);
            pendingText.delete(0, cut);
            for (int token : HarmonyText.tokenize(ready, tokenizer)) {
                if (feed(token)) {
                    pendingText.setLength(0);
                    return;
                }
            }
        }

        void flushText() {
            if (!done && !pendingText.isEmpty()) feedText(true);
        }

        private boolean feed(int token) {
            if (token == SpecialTokens.END_OF_TEXT) {
                throw new MalformedCompletionException(
                        "the model ended the text (<|endoftext|>) inside its turn", completion.text());
            }
            if (completion.tokenCount() >= maxTokens) return false;
            done = completion.accept(token);
            return done;
        }

        /** The token that stopped generation: as the server reports it, else what the open message needs. */
        int stopToken() {
            if (stopReason != null) {
                if (stopReason.isInt()) {
                    int id = stopReason.asInt();
                    if (id == SpecialTokens.RETURN || id == SpecialTokens.CALL) return id;
                } else if (stopReason.isTextual()) {
                    String s = stopReason.asText();
                    if (s.equals("<|call|>")) return SpecialTokens.CALL;
                    if (s.equals("<|return|>")) return SpecialTokens.RETURN;
                }
            }
            return writing != null && writing.recipient() != null ? SpecialTokens.CALL : SpecialTokens.RETURN;
        }
    }

    /** Each call is its own HTTP request: concurrent runs share the backend freely. */
    @Override
    public boolean concurrentCalls() {
        return true;
    }

    @Override
    public java.util.OptionalInt contextWindow() {
        return endpoint.contextWindow();
    }

    @Override
    public String describe() {
        return endpoint.describe("completions");
    }

    public static final class Builder extends RemoteBackendBuilder<Builder> {
        private boolean tokenIds = true;
        private boolean promptAsText;

        private Builder() {}

        /**
         * Read the output as token ids ({@code return_tokens_as_token_ids}, default) rather than text. Ids are
         * exact; text is re-tokenized here, so a model that spells out a control token in plain text would be
         * misread.
         */
        public Builder tokenIds(boolean tokenIds) {
            this.tokenIds = tokenIds;
            return this;
        }

        /**
         * Send the prompt as text with control tokens spelled out, for servers that take no token ids. The server
         * then turns those spellings into control tokens wherever they occur, also inside user or tool text: only
         * for trusted content. Off by default (ids are sent).
         */
        public Builder promptAsText(boolean asText) {
            this.promptAsText = asText;
            return this;
        }

        public CompletionsBackend build() {
            return new CompletionsBackend(this);
        }
    }
}
