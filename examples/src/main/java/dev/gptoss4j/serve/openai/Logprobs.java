package dev.gptoss4j.serve.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.agent.backend.TokenLogprob;
import dev.gptoss4j.engine.harmony.Channel;
import dev.gptoss4j.engine.harmony.MessageHeader;
import dev.gptoss4j.engine.harmony.Role;

/**
 * The log-probabilities of the answer's tokens in OpenAI's shape ({@code token}, {@code logprob}, {@code bytes},
 * {@code top_logprobs}), gathered as the backend reports them: only content tokens of the answer (not reasoning,
 * not tool-call arguments, not harmony's special tokens). A streamed chunk takes the ones reported since the last.
 */
final class Logprobs {

    private final boolean wanted;
    private final ArrayNode all = Fields.JSON.createArrayNode();
    private ArrayNode pending = Fields.JSON.createArrayNode();
    private MessageHeader open;

    /** @param wanted whether the request asked for log-probabilities (otherwise nothing is kept) */
    Logprobs(boolean wanted) {
        this.wanted = wanted;
    }

    boolean wanted() {
        return wanted;
    }

    /** The message now being written; its tokens count when it is answer text. */
    void messageStarted(MessageHeader header) {
        open = header;
    }

    void messageEnded() {
        open = null;
    }

    /** A token the backend generated; kept when it belongs to the answer's text. */
    void token(TokenLogprob t) {
        if (!wanted
                || t.special()
                || open == null
                || open.role() != Role.ASSISTANT
                || open.recipient() != null
                || Channel.ANALYSIS.equals(open.channel())) {
            return;
        }
        ObjectNode entry = entry(t);
        ArrayNode top = entry.putArray("top_logprobs");
        for (TokenLogprob alternative : t.top()) top.add(entry(alternative));
        all.add(entry);
        pending.add(entry);
    }

    /** Every answer token so far. */
    ArrayNode all() {
        return all;
    }

    /** The answer tokens reported since the last call. */
    ArrayNode drain() {
        ArrayNode out = pending;
        pending = Fields.JSON.createArrayNode();
        return out;
    }

    private static ObjectNode entry(TokenLogprob t) {
        ObjectNode e = Fields.JSON.createObjectNode();
        e.put("token", t.text());
        e.put("logprob", t.logprob());
        ArrayNode bytes = e.putArray("bytes");
        for (byte b : t.bytes()) bytes.add(b & 0xFF);
        return e;
    }
}
