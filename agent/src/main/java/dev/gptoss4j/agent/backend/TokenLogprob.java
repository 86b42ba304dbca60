package dev.gptoss4j.agent.backend;

import java.util.List;

/**
 * A generated token with its log-probability and, when asked, the most likely alternatives at its position (from
 * the distribution it was sampled from: the model's logits with the decoding constraints applied, before temperature
 * and penalties).
 *
 * @param token   the token id
 * @param text    its text (the UTF-8 bytes decoded; a token that ends inside a character shows a replacement
 *                character, {@link #bytes} are exact)
 * @param bytes   its UTF-8 bytes
 * @param special whether it is a harmony special token ({@code <|message|>}, {@code <|end|>}...), never content
 * @param logprob natural log of its probability
 * @param top     the most likely tokens there, most likely first (their own {@code top} empty)
 */
public record TokenLogprob(
        int token, String text, byte[] bytes, boolean special, double logprob, List<TokenLogprob> top) {

    public TokenLogprob {
        top = List.copyOf(top);
    }
}
