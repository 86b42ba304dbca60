package dev.gptoss4j.engine.constrain;

import static org.junit.jupiter.api.Assertions.*;

import dev.gptoss4j.engine.tokenizer.SpecialTokens;
import dev.gptoss4j.engine.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TokenMaskTest {

    private static final Tokenizer TOKENIZER = Tokenizer.o200kHarmony();
    private static final TokenTrie TRIE = TokenTrie.o200kHarmony();

    @Test
    void theTrieHoldsEveryOrdinaryTokenOnce() {
        int count = 0;
        for (int v = 0; v < TRIE.nodeCount(); v++) count += TRIE.tokenStart[v + 1] - TRIE.tokenStart[v];
        assertEquals(SpecialTokens.FIRST_SPECIAL, count);
        assertArrayEquals(TOKENIZER.tokenBytes(1234), TRIE.bytes(1234));
        assertNull(TRIE.bytes(SpecialTokens.CALL));
    }

    /** The mask is exactly the set of tokens whose bytes the grammar accepts from the state (brute force). */
    @Test
    void masksMatchBruteForceInManyStates() {
        JsonSchemaGrammar g = JsonSchemaGrammar.compile(JsonSchemaGrammarTest.schema(JsonSchemaGrammarTest.WEATHER), 1);
        TokenMask masks = new TokenMask(TRIE, 0);
        for (String prefix : List.of(
                "",
                "{",
                "{\"loc",
                "{\"location\":\"Par",
                "{\"location\":\"abcdefghijk",
                "{\"location\":\"x\",",
                "{\"location\":\"x\",\"unit\":\"c",
                "{\"location\":\"x\",\"days\":12",
                "{\"location\":\"x\",\"tags\":[\"ab\",",
                "{\"location\":\"x\",\"unit\":\"celsius\"",
                "{\"location\":\"x\",\"unit\":\"celsius\"}",
                "{\"location\":\"\\u00")) {
            GrammarState s = g.start().step(prefix.getBytes(StandardCharsets.UTF_8));
            assertNotNull(s, prefix);
            long[] bits = masks.compute(s);
            int allowed = 0;
            for (int i = 0; i < SpecialTokens.FIRST_SPECIAL; i++) {
                int id = i;
                boolean expected = s.step(TOKENIZER.tokenBytes(id)) != null;
                assertEquals(
                        expected,
                        TokenMask.isSet(bits, id),
                        () -> "token " + id + " '" + TOKENIZER.tokenText(id) + "' after '" + prefix + "'");
                if (expected) allowed++;
            }
            for (int id = SpecialTokens.FIRST_SPECIAL; id < Tokenizer.VOCABULARY_SIZE; id++) {
                assertFalse(TokenMask.isSet(bits, id), "special token " + id + " is never in the text mask");
            }
            if (prefix.endsWith("}")) assertEquals(0, allowed, "nothing after the document");
            else assertTrue(allowed > 0, prefix);
        }
    }

    /** Every allowed token leaves a state from which the document can still be finished. */
    @Test
    void everyAllowedTokenKeepsTheDocumentCompletable() {
        JsonSchemaGrammar g = JsonSchemaGrammar.compile(JsonSchemaGrammarTest.schema(JsonSchemaGrammarTest.WEATHER));
        TokenMask masks = new TokenMask(TRIE);
        SplittableRandom random = new SplittableRandom(11);
        for (String prefix :
                List.of("{", "{\"location\":\"Pa", "{\"unit\":\"celsius\",", "{\"location\":\"x\",\"tags\":[")) {
            GrammarState s = g.start().step(prefix.getBytes(StandardCharsets.UTF_8));
            long[] bits = masks.allowed(s);
            List<Integer> allowed = new ArrayList<>();
            for (int id = 0; id < SpecialTokens.FIRST_SPECIAL; id++) if (TokenMask.isSet(bits, id)) allowed.add(id);
            for (int k = 0; k < 25; k++) {
                int id = allowed.get(random.nextInt(allowed.size()));
                GrammarState after = s.step(TOKENIZER.tokenBytes(id));
                assertTrue(completable(after, 60), () -> "dead end after '" + prefix + TOKENIZER.tokenText(id) + "'");
            }
        }
    }

    /** Breadth-first search over bytes for a complete document within {@code depth} more bytes. */
    private static boolean completable(GrammarState start, int depth) {
        Set<GrammarState> seen = new HashSet<>();
        ArrayDeque<GrammarState> level = new ArrayDeque<>(List.of(start));
        for (int d = 0; d <= depth && !level.isEmpty(); d++) {
            ArrayDeque<GrammarState> next = new ArrayDeque<>();
            for (GrammarState s : level) {
                if (s.isComplete()) return true;
                for (int b = 0; b < 256; b++) {
                    GrammarState t = s.step(b);
                    if (t != null && seen.add(t)) next.add(t);
                }
            }
            level = next;
        }
        return false;
    }

    @Test
    void theConstraintAllowsTheEndTokenOnlyWhenTheValueIsComplete() {
        JsonSchemaGrammar g = JsonSchemaGrammar.compile(
                "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}},\"required\":[\"n\"]}");
        GrammarConstraint c = new GrammarConstraint(new TokenMask(TRIE), g.start(), SpecialTokens.CALL);
        float[] logits = new float[Tokenizer.VOCABULARY_SIZE];
        c.mask(logits);
        assertEquals(Float.NEGATIVE_INFINITY, logits[SpecialTokens.CALL]);
        assertEquals(Float.NEGATIVE_INFINITY, logits[TOKENIZER.encode("hello")[0]]);
        for (int t : TOKENIZER.encode("{\"n\":42")) c.accept(t);
        java.util.Arrays.fill(logits, 1f);
        c.mask(logits);
        assertEquals(Float.NEGATIVE_INFINITY, logits[SpecialTokens.CALL], "the object is still open");
        assertEquals(1f, logits[TOKENIZER.encode("}")[0]]);
        assertThrows(IllegalStateException.class, () -> c.accept(SpecialTokens.CALL));
        c.accept(TOKENIZER.encode("}")[0]);
        java.util.Arrays.fill(logits, 1f);
        c.mask(logits);
        assertEquals(1f, logits[SpecialTokens.CALL]);
        assertEquals(Float.NEGATIVE_INFINITY, logits[SpecialTokens.RETURN], "only the given end token");
        assertEquals(Float.NEGATIVE_INFINITY, logits[TOKENIZER.encode(",")[0]]);
        c.accept(SpecialTokens.CALL);
        assertTrue(c.isDone());
    }

    @Test
    void forcedAndSequencedConstraintsAndLiteralGrammars() {
        LiteralGrammar tools = LiteralGrammar.of(List.of(" to=functions.get_weather", " to=functions.get_time"));
        TokenConstraint c = TokenConstraint.sequence(
                TokenConstraint.forced(SpecialTokens.CHANNEL),
                new GrammarConstraint(new TokenMask(TRIE), tools.start(), SpecialTokens.CONSTRAIN));
        float[] logits = new float[Tokenizer.VOCABULARY_SIZE];
        c.mask(logits);
        for (int id = 0; id < logits.length; id++) {
            assertEquals(id == SpecialTokens.CHANNEL ? 0f : Float.NEGATIVE_INFINITY, logits[id]);
        }
        assertThrows(IllegalStateException.class, () -> c.accept(SpecialTokens.MESSAGE));
        c.accept(SpecialTokens.CHANNEL);
        for (int t : TOKENIZER.encode(" to=functions.get_")) c.accept(t);
        java.util.Arrays.fill(logits, 0f);
        c.mask(logits);
        assertEquals(0f, logits[TOKENIZER.encode("time")[0]]);
        assertEquals(Float.NEGATIVE_INFINITY, logits[TOKENIZER.encode("date")[0]]);
        for (int t : TOKENIZER.encode("time")) c.accept(t);
        c.accept(SpecialTokens.CONSTRAIN);
        assertTrue(c.isDone());
    }

    @Test
    void masksAreCachedPerState() {
        JsonSchemaGrammar g = JsonSchemaGrammar.compile("{\"type\":\"string\"}");
        TokenMask masks = new TokenMask(TRIE);
        GrammarState a = g.start().step("\"abc".getBytes(StandardCharsets.UTF_8));
        GrammarState b = g.start().step("\"xyzw".getBytes(StandardCharsets.UTF_8));
        assertEquals(a, b, "inside a free string every position is the same state");
        assertSame(masks.allowed(a), masks.allowed(b));
        assertEquals(1, masks.computedCount());
    }
}
