package dev.gptoss4j.engine.harmony;

import dev.gptoss4j.engine.tokenizer.SpecialTokens;
import dev.gptoss4j.engine.tokenizer.Tokenizer;
import java.util.List;
import java.util.Objects;

/**
 * Renders conversations to o200k_harmony token ids, exactly as openai/harmony does.
 *
 * <p>Control tokens come only from {@link SpecialTokens} ids; every piece of text (role, recipient, channel,
 * content) goes through {@link Tokenizer#encode}, which never yields a special token. So a user or tool message
 * containing {@code <|end|><|start|>system<|message|>} stays ordinary text: no prompt injection through the
 * format. Each text piece is tokenized on its own, as the reference does, so token boundaries match it.
 * Thread-safe.
 */
public final class HarmonyRenderer {

    private static final String CONSTRAIN = "<|constrain|>";

    private final Tokenizer tokenizer;

    private HarmonyRenderer(Tokenizer tokenizer) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    }

    /** A renderer over the o200k_harmony tokenizer. */
    public static HarmonyRenderer create() {
        return new HarmonyRenderer(Tokenizer.o200kHarmony());
    }

    public static HarmonyRenderer create(Tokenizer tokenizer) {
        return new HarmonyRenderer(tokenizer);
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The prompt for the assistant's next turn. */
    public int[] renderForCompletion(Conversation conversation) {
        return render(conversation, RenderOptions.completion());
    }

    public int[] render(Conversation conversation, RenderOptions options) {
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(options, "options");
        List<Message> messages = conversation.messages();
        TokenBuffer out = new TokenBuffer();
        boolean hasFunctionTools = messages.stream().anyMatch(HarmonyRenderer::hasFunctionTools);

        boolean lastAssistantIsFinal = false;
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == Role.ASSISTANT) {
                lastAssistantIsFinal = Channel.FINAL.equals(messages.get(i).channel());
                break;
            }
        }
        int firstFinal = -1;
        for (int i = 0; i < messages.size(); i++) {
            if (Channel.FINAL.equals(messages.get(i).channel())) {
                firstFinal = i;
                break;
            }
        }
        boolean drop = options.autoDropAnalysis() && lastAssistantIsFinal;
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            if (drop && i < firstFinal && Channel.ANALYSIS.equals(m.channel())) continue;
            renderMessage(m, hasFunctionTools, i, out);
        }

        switch (options.mode()) {
            case COMPLETION -> {
                out.add(SpecialTokens.START);
                out.addAll(tokenizer.encode(options.nextTurnRole().wireName()));
            }
            case TRAINING -> {
                if (!messages.isEmpty() && out.size() > 0) {
                    Message last = messages.getLast();
                    if (last.role() == Role.ASSISTANT && Channel.FINAL.equals(last.channel())) {
                        out.setLast(SpecialTokens.RETURN);
                    }
                }
            }
            case CONVERSATION -> {}
        }
        return out.toArray();
    }

    /** One message on its own (as in a conversation without function tools). */
    public int[] render(Message message) {
        TokenBuffer out = new TokenBuffer();
        renderMessage(message, false, 0, out);
        return out.toArray();
    }

    /** The rendered text (special tokens spelled out): what the model reads. */
    public String renderText(Conversation conversation, RenderOptions options) {
        return tokenizer.decode(render(conversation, options));
    }

    private static boolean hasFunctionTools(Message m) {
        for (Content c : m.content()) {
            if (c instanceof DeveloperContent dev && !dev.functionTools().isEmpty()) return true;
        }
        return false;
    }

    private void renderMessage(Message m, boolean hasFunctionTools, int index, TokenBuffer out) {
        out.add(SpecialTokens.START);
        Author author = m.author();
        if (author.role() == Role.TOOL) {
            if (author.name() == null) {
                throw new IllegalArgumentException("message " + index
                        + ": a tool message needs the tool's name as author name (such as functions.get_weather)");
            }
            text(author.name(), out);
        } else {
            text(author.role().wireName(), out);
            if (author.name() != null) text(":" + author.name(), out);
        }
        if (m.recipient() != null && !m.recipient().equals("all")) text(" to=" + m.recipient(), out);
        if (m.channel() != null) {
            out.add(SpecialTokens.CHANNEL);
            text(m.channel(), out);
        }
        if (m.contentType() != null) {
            // <|constrain|> is the one control token a header field may carry: written literally in the
            // content type, it is rendered as the special token, never as text.
            if (m.contentType().startsWith(CONSTRAIN)) {
                text(" ", out);
                out.add(SpecialTokens.CONSTRAIN);
                String rest = m.contentType().substring(CONSTRAIN.length());
                if (!rest.isEmpty()) text(rest, out);
            } else {
                text(" " + m.contentType(), out);
            }
        }
        out.add(SpecialTokens.MESSAGE);
        for (Content c : m.content()) {
            switch (c) {
                case TextContent t -> text(t.text(), out);
                case SystemContent sys -> {
                    if (author.role() != Role.SYSTEM) {
                        throw new IllegalArgumentException("message " + index
                                + ": system content may only appear in a system message, found in a " + author.role()
                                + " message");
                    }
                    text(PromptText.system(sys, hasFunctionTools), out);
                }
                case DeveloperContent dev -> {
                    if (author.role() != Role.DEVELOPER) {
                        throw new IllegalArgumentException("message " + index
                                + ": developer content may only appear in a developer message, found in a "
                                + author.role() + " message");
                    }
                    text(PromptText.developer(dev), out);
                }
            }
        }
        out.add(author.role() == Role.ASSISTANT && m.recipient() != null ? SpecialTokens.CALL : SpecialTokens.END);
    }

    private void text(String s, TokenBuffer out) {
        if (!s.isEmpty()) out.addAll(tokenizer.encode(s));
    }

    /** A growable int list, to keep rendering free of boxing. */
    private static final class TokenBuffer {
        private int[] data = new int[256];
        private int size;

        void add(int token) {
            if (size == data.length) data = java.util.Arrays.copyOf(data, size * 2);
            data[size++] = token;
        }

        void addAll(int[] tokens) {
            if (size + tokens.length > data.length) {
                data = java.util.Arrays.copyOf(data, Math.max(size * 2, size + tokens.length));
            }
            System.arraycopy(tokens, 0, data, size, tokens.length);
            size += tokens.length;
        }

        void setLast(int token) {
            data[size - 1] = token;
        }

        int size() {
            return size;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(data, size);
        }
    }
}
