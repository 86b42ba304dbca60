package dev.gptoss4j.agent.backend;

import dev.gptoss4j.engine.harmony.HarmonyRenderer;
import dev.gptoss4j.engine.harmony.HarmonyText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Replays recorded assistant completions, for tests, demos and bug reports. Each completion is harmony text with
 * special tokens written literally ({@code <|channel|>final<|message|>Hi!<|return|>}); in a file, completions are
 * separated by a line holding exactly {@code ---}. Each is tokenized and streamed token by token through the same
 * harmony parser as real model output, one completion per model call. When they run out, the run ends with a
 * {@link BackendException} saying so.
 *
 * <p>A completion starts where the model starts: after the prompt's {@code <|start|>assistant}; a leading
 * {@code <|start|>assistant} is accepted too. Whitespace around a completion is ignored; output after its
 * {@code <|return|>} or {@code <|call|>} is never read, as a real sampler stops there.
 */
public final class ReplayBackend implements Backend {

    private static final String SEPARATOR = "---";
    private static final String PREFIX = "<|start|>assistant";

    private final String source;
    private final List<String> completions;
    private final HarmonyRenderer renderer = HarmonyRenderer.create();
    private final int contextWindow;
    private int next;

    private ReplayBackend(String source, List<String> completions) {
        this(source, completions, 0);
    }

    private ReplayBackend(String source, List<String> completions, int contextWindow) {
        this.source = source;
        this.completions = List.copyOf(completions);
        this.contextWindow = contextWindow;
    }

    /**
     * The same completions behind a model with a context window of {@code tokens}, enforced as the local engine
     * does: a longer prompt fails with a {@link ContextOverflowException}, and a completion stops at the window's
     * end. For replaying how an agent copes with a full context.
     */
    public ReplayBackend withContextWindow(int tokens) {
        if (tokens <= 0) throw new IllegalArgumentException("contextWindow must be positive, got " + tokens);
        return new ReplayBackend(source, completions, tokens);
    }

    @Override
    public OptionalInt contextWindow() {
        return contextWindow > 0 ? OptionalInt.of(contextWindow) : OptionalInt.empty();
    }

    /** Reads a replay file. */
    public static ReplayBackend fromFile(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read replay file " + file + ": " + e.getMessage(), e);
        }
        ReplayBackend b = new ReplayBackend("replay file " + file, split(text));
        if (b.completions.isEmpty()) {
            throw new IllegalArgumentException("replay file " + file + " holds no completion");
        }
        return b;
    }

    /** Replays the given completions, in order. */
    public static ReplayBackend of(String... completions) {
        return new ReplayBackend("replay", List.of(completions));
    }

    /** Replays the completions of replay text (completions separated by lines holding exactly {@code ---}). */
    public static ReplayBackend parse(String text) {
        return new ReplayBackend("replay", split(text));
    }

    /** Splits replay text into completions at lines holding exactly {@code ---}. */
    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\r?\n", -1)) {
            if (line.equals(SEPARATOR)) {
                add(out, current);
                current.setLength(0);
            } else {
                if (!current.isEmpty()) current.append('\n');
                current.append(line);
            }
        }
        add(out, current);
        return out;
    }

    private static void add(List<String> out, StringBuilder completion) {
        String c = completion.toString().strip();
        if (!c.isEmpty()) out.add(c);
    }

    @Override
    public Completion complete(CompletionRequest request, CompletionListener listener) {
        if (next >= completions.size()) {
            throw new BackendException(describe() + " ran out: it holds " + completions.size() + " completion"
                    + (completions.size() == 1 ? "" : "s") + " but the agent asked for completion " + (next + 1));
        }
        int index = next++;
        String text = completions.get(index);
        if (text.startsWith(PREFIX)) text = text.substring(PREFIX.length());
        int promptTokens = renderer.renderForCompletion(request.conversation()).length;
        int limit = request.maxTokens();
        if (contextWindow > 0) {
            if (promptTokens >= contextWindow) {
                throw new ContextOverflowException(
                        "the conversation is " + promptTokens + " tokens; the context " + "window holds "
                                + contextWindow + " [" + describe() + ", completion " + (index + 1) + "]",
                        promptTokens,
                        contextWindow);
            }
            limit = Math.min(limit, contextWindow - promptTokens);
        }
        int[] tokens = HarmonyText.tokenize(text, renderer.tokenizer());
        HarmonyCompletion completion = new HarmonyCompletion(renderer.tokenizer(), listener);
        try {
            for (int token : tokens) {
                if (request.cancelled().getAsBoolean()) {
                    return completion.stopped(Completion.Finish.CANCELLED, promptTokens);
                }
                if (completion.tokenCount() >= limit) {
                    return completion.stopped(Completion.Finish.LENGTH, promptTokens);
                }
                if (completion.accept(token)) return completion.complete(promptTokens);
            }
        } catch (MalformedCompletionException e) {
            throw new MalformedCompletionException(
                    e.getMessage() + " [" + describe() + ", completion " + (index + 1) + "]", e.output());
        }
        throw new MalformedCompletionException(
                "the completion ended without <|return|> or <|call|> [" + describe() + ", completion " + (index + 1)
                        + "]",
                completion.text());
    }

    /** How many completions have not been replayed yet. */
    public int remaining() {
        return completions.size() - next;
    }

    @Override
    public String describe() {
        return source;
    }
}
