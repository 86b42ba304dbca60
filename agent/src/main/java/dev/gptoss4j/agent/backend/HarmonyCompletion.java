package dev.gptoss4j.agent.backend;

import dev.gptoss4j.engine.harmony.HarmonyParseException;
import dev.gptoss4j.engine.harmony.HarmonyParseListener;
import dev.gptoss4j.engine.harmony.HarmonyStreamParser;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.MessageHeader;
import dev.gptoss4j.engine.harmony.MessageStop;
import dev.gptoss4j.engine.harmony.Role;
import dev.gptoss4j.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * One completion read token by token through the harmony stream parser: what every token-level backend (the
 * local engine, replays) does with sampled tokens. It knows when the completion is over ({@code <|return|>} or
 * {@code <|call|>}) and turns format errors into {@link MalformedCompletionException}s.
 *
 * <p>The stream starts inside the assistant's header, because the prompt ends with {@code <|start|>assistant}.
 */
public final class HarmonyCompletion {

    private final Tokenizer tokenizer;
    private final HarmonyStreamParser parser;
    private final List<Message> messages = new ArrayList<>();
    private final List<Integer> tokens = new ArrayList<>();
    private Completion.Finish finish;

    public HarmonyCompletion(Tokenizer tokenizer, CompletionListener listener) {
        this.tokenizer = tokenizer;
        this.parser = HarmonyStreamParser.builder()
                .tokenizer(tokenizer)
                .startRole(Role.ASSISTANT)
                .listener(new HarmonyParseListener() {
                    @Override
                    public void onMessageStart(MessageHeader header) {
                        listener.onMessageStart(header);
                    }

                    @Override
                    public void onContentDelta(MessageHeader header, String delta) {
                        listener.onContentDelta(header, delta);
                    }

                    @Override
                    public void onMessageDone(Message message, MessageStop stop) {
                        if (stop == MessageStop.END_OF_STREAM) return; // cut off: never part of the conversation
                        messages.add(message);
                        listener.onMessageEnd(message);
                        if (stop == MessageStop.RETURN) finish = Completion.Finish.RETURN;
                        if (stop == MessageStop.CALL) finish = Completion.Finish.CALL;
                    }
                })
                .build();
    }

    /**
     * Feeds one sampled token.
     *
     * @return whether the completion is over (the token was {@code <|return|>} or {@code <|call|>})
     * @throws MalformedCompletionException when the token breaks the harmony format
     */
    public boolean accept(int token) {
        if (finish != null) throw new IllegalStateException("the completion is already over");
        tokens.add(token);
        try {
            parser.accept(token);
        } catch (HarmonyParseException e) {
            throw new MalformedCompletionException(e.getMessage(), text());
        }
        if (!messages.isEmpty()) {
            Message last = messages.getLast();
            if (last.role() != Role.ASSISTANT) {
                throw new MalformedCompletionException(
                        "the model wrote a message as " + last.role() + "; only assistant messages may be generated",
                        text());
            }
            if (finish == Completion.Finish.CALL && last.recipient() == null) {
                throw new MalformedCompletionException(
                        "<|call|> ended a message that has no recipient "
                                + "(a tool call needs to=functions.NAME in its header)",
                        text());
            }
            if (finish == Completion.Finish.RETURN && last.recipient() != null) {
                throw new MalformedCompletionException(
                        "<|return|> ended a message addressed to " + last.recipient()
                                + " (a tool call ends with <|call|>)",
                        text());
            }
        }
        return finish != null;
    }

    /** The completion, after {@link #accept} returned true. */
    public Completion complete(int promptTokens) {
        if (finish == null) throw new IllegalStateException("the completion is not over yet");
        return new Completion(messages, finish, promptTokens, tokens.size());
    }

    /**
     * The completion when the stream ended early: cut off at the token limit ({@link Completion.Finish#LENGTH})
     * or cancelled; the unfinished message is left out.
     */
    public Completion stopped(Completion.Finish why, int promptTokens) {
        return new Completion(messages, why, promptTokens, tokens.size());
    }

    /** The output so far, special tokens spelled out. */
    public String text() {
        return tokenizer.decode(tokens.stream().mapToInt(Integer::intValue).toArray());
    }

    public int tokenCount() {
        return tokens.size();
    }
}
