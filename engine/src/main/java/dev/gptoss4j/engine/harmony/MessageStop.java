package dev.gptoss4j.engine.harmony;

import dev.gptoss4j.engine.tokenizer.SpecialTokens;

/** How a parsed message ended. */
public enum MessageStop {
    /** {@code <|end|>}: the message is complete; more may follow in the same turn. */
    END(SpecialTokens.END),
    /** {@code <|call|>}: a tool call; run the tool and continue the conversation with its answer. */
    CALL(SpecialTokens.CALL),
    /** {@code <|return|>}: the final answer; the turn is over. */
    RETURN(SpecialTokens.RETURN),
    /** The token stream ended inside the message's content (e.g. the sampler hit its token limit). */
    END_OF_STREAM(-1);

    private final int tokenId;

    MessageStop(int tokenId) {
        this.tokenId = tokenId;
    }

    /** The stop token's id, or -1 for {@link #END_OF_STREAM}. */
    public int tokenId() {
        return tokenId;
    }

    /** The stop for a token id, or {@code null} when the token is no stop token. */
    public static MessageStop ofToken(int id) {
        return switch (id) {
            case SpecialTokens.END -> END;
            case SpecialTokens.CALL -> CALL;
            case SpecialTokens.RETURN -> RETURN;
            default -> null;
        };
    }
}
