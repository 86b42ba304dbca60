package dev.gptoss4j.engine.harmony;

import dev.gptoss4j.engine.tokenizer.Tokenizer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of each ordinary token, and its text when those bytes are complete UTF-8 on their own, cached on
 * first use so the parser's hot path neither allocates nor calls into the tokenizer. The cache may be filled
 * concurrently: entries are immutable records (final fields), and racing threads store equal values.
 */
final class TokenPieces {

    record Piece(byte[] bytes, String text) {}

    private static final TokenPieces O200K_HARMONY = new TokenPieces(Tokenizer.o200kHarmony());

    private final Tokenizer tokenizer;
    private final Piece[] pieces = new Piece[Tokenizer.VOCABULARY_SIZE];

    private TokenPieces(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    static TokenPieces of(Tokenizer tokenizer) {
        return tokenizer == Tokenizer.o200kHarmony() ? O200K_HARMONY : new TokenPieces(tokenizer);
    }

    /** The piece of an ordinary (non-special, in-vocabulary) token. */
    Piece piece(int id) {
        Piece p = pieces[id];
        if (p == null) {
            byte[] bytes = tokenizer.decodeBytes(new int[] {id});
            String text;
            try {
                text = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes))
                        .toString();
            } catch (CharacterCodingException partialCharacter) {
                text = null;
            }
            p = new Piece(bytes, text);
            pieces[id] = p;
        }
        return p;
    }
}
