package dev.gptoss4j.engine;

/**
 * Prompt-lookup drafting for speculative decoding: when the last few tokens already occurred earlier in the
 * sequence, guess that what followed them then follows them again. Agent transcripts repeat a lot (tool names,
 * arguments, quoted tool output, the harmony headers), so the guesses are often right, and verifying a guess of
 * {@code k} tokens costs one batched forward pass instead of {@code k} sequential ones.
 *
 * @param maxNgram longest suffix to look up (tried first)
 * @param minNgram shortest suffix to look up
 */
public record PromptLookup(int maxNgram, int minNgram) implements Drafter {

    public PromptLookup {
        if (minNgram < 1 || maxNgram < minNgram) {
            throw new IllegalArgumentException("need 1 <= minNgram <= maxNgram, got " + minNgram + ", " + maxNgram);
        }
    }

    /** Suffixes of 4 down to 2 tokens. */
    public static PromptLookup defaults() {
        return new PromptLookup(4, 2);
    }

    /**
     * Writes up to {@code max} drafted tokens to {@code out} and returns how many: the tokens that followed the
     * most recent earlier occurrence of the longest matching suffix of {@code tokens[0..length)}.
     */
    @Override
    public int draft(int[] tokens, int length, int[] out, int max) {
        if (max <= 0) return 0;
        for (int n = Math.min(maxNgram, length - 1); n >= minNgram; n--) {
            int suffix = length - n;
            // most recent occurrence first: recent context predicts best
            for (int start = suffix - 1; start >= 0; start--) {
                if (matches(tokens, start, suffix, n)) {
                    int from = start + n;
                    int count = Math.min(max, length - from);
                    System.arraycopy(tokens, from, out, 0, count);
                    return count;
                }
            }
        }
        return 0;
    }

    private static boolean matches(int[] tokens, int a, int b, int n) {
        for (int i = 0; i < n; i++) if (tokens[a + i] != tokens[b + i]) return false;
        return true;
    }
}
