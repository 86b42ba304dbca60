package dev.gptoss4j.engine.harmony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gptoss4j.engine.tokenizer.SpecialTokens;
import dev.gptoss4j.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing: random token streams and mutations of valid ones. Whatever comes in, the parser only ever
 * throws {@link HarmonyParseException}, stays usable afterwards, keeps its buffers within the limits, and the
 * messages of a clean stream survive. Reproducible: a failure names its seed and stream.
 */
class HarmonyParserFuzzTest {

    private static final int STREAMS = 12_000;
    private static final int MAX_HEADER = 32;
    private static final int MAX_MESSAGE = 64;
    private static final int[] INTERESTING = {
        SpecialTokens.START,
        SpecialTokens.END,
        SpecialTokens.MESSAGE,
        SpecialTokens.CHANNEL,
        SpecialTokens.CONSTRAIN,
        SpecialTokens.RETURN,
        SpecialTokens.CALL,
        SpecialTokens.START_OF_TEXT,
        SpecialTokens.END_OF_TEXT,
        200014,
        Tokenizer.VOCABULARY_SIZE - 1,
        Tokenizer.VOCABULARY_SIZE,
        -1,
        Integer.MIN_VALUE,
        Integer.MAX_VALUE,
        9552,
    };

    private static List<int[]> corpus() {
        HarmonyRenderer r = HarmonyRenderer.create();
        List<int[]> out = new ArrayList<>();
        out.add(Fixtures.tokenIds("test_simple_tool_call.txt"));
        out.add(Fixtures.tokenIds("test_simple_reasoning_response.txt"));
        out.add(HarmonyText.tokenize(Fixtures.text("test_streamable_parser.txt")));
        out.add(r.render(
                Conversation.of(
                        Message.user("Wie ist das Wetter in München? 😊"),
                        Message.assistant("analysis", "Need weather → call tool. ünïcödé"),
                        Message.assistant("commentary", "{\"city\": \"München\"}")
                                .withRecipient("functions.weather")
                                .withContentType("<|constrain|>json"),
                        Message.tool("functions.weather", "{\"t\": 20}")
                                .withRecipient("assistant")
                                .withChannel("commentary"),
                        Message.assistant("final", "20 °C")),
                RenderOptions.training()));
        return out;
    }

    @Test
    void randomAndMutatedStreamsOnlyEverGiveTypedErrors() {
        List<int[]> corpus = corpus();
        long seed = 0x5EED_4A2A_0001L;
        SplittableRandom random = new SplittableRandom(seed);
        int errors = 0;
        int messages = 0;
        for (int stream = 0; stream < STREAMS; stream++) {
            int[] tokens =
                    stream % 4 == 0 ? randomStream(random) : mutate(corpus.get(random.nextInt(corpus.size())), random);
            boolean strict = random.nextBoolean();
            Role startRole = random.nextBoolean() ? Role.ASSISTANT : null;
            HarmonyStreamParser p = HarmonyStreamParser.builder()
                    .strict(strict)
                    .startRole(startRole)
                    .maxHeaderTokens(MAX_HEADER)
                    .maxMessageTokens(MAX_MESSAGE)
                    .build();
            for (int i = 0; i <= tokens.length; i++) {
                try {
                    if (i < tokens.length) p.accept(tokens[i]);
                    else p.finish();
                } catch (HarmonyParseException e) {
                    errors++;
                    assertTrue(e.position() >= 0 && e.position() <= tokens.length, "position in range");
                    assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
                } catch (RuntimeException | Error e) {
                    fail(
                            "seed " + seed + ", stream " + stream + ", token " + i + " of "
                                    + java.util.Arrays.toString(tokens) + ": " + e,
                            e);
                }
                assertTrue(p.bufferedTokens() <= Math.max(MAX_HEADER, MAX_MESSAGE), "bounded buffers");
            }
            assertEquals(tokens.length, p.position());
            messages += p.messages().size();
        }
        // the fuzzer must exercise both paths, or it proves nothing
        assertTrue(errors > STREAMS / 4, "errors seen: " + errors);
        assertTrue(messages > STREAMS / 4, "messages parsed: " + messages);
    }

    @Test
    void unmutatedCorpusParsesWithoutErrors() {
        for (int[] tokens : corpus()) {
            Role role = tokens[0] == SpecialTokens.START ? null : Role.ASSISTANT;
            assertTrue(!HarmonyStreamParser.parse(tokens, role).isEmpty());
        }
    }

    private static int[] randomStream(SplittableRandom random) {
        int[] out = new int[random.nextInt(1, 200)];
        for (int i = 0; i < out.length; i++) out[i] = randomToken(random);
        return out;
    }

    private static int randomToken(SplittableRandom random) {
        return switch (random.nextInt(4)) {
            case 0 -> INTERESTING[random.nextInt(INTERESTING.length)];
            case 1 -> random.nextInt(SpecialTokens.FIRST_SPECIAL, Tokenizer.VOCABULARY_SIZE);
            default -> random.nextInt(SpecialTokens.FIRST_SPECIAL);
        };
    }

    private static int[] mutate(int[] source, SplittableRandom random) {
        List<Integer> t = new ArrayList<>(source.length + 8);
        for (int v : source) t.add(v);
        int edits = random.nextInt(1, 6);
        for (int e = 0; e < edits && !t.isEmpty(); e++) {
            int at = random.nextInt(t.size());
            switch (random.nextInt(5)) {
                case 0 -> t.set(at, randomToken(random));
                case 1 -> t.add(at, randomToken(random));
                case 2 -> t.remove(at);
                case 3 -> { // duplicate a run (long headers, repeated specials)
                    int len = Math.min(random.nextInt(1, 50), t.size() - at);
                    t.addAll(at, new ArrayList<>(t.subList(at, at + len)));
                }
                default -> { // truncate
                    t.subList(at, t.size()).clear();
                }
            }
        }
        return t.stream().mapToInt(Integer::intValue).toArray();
    }
}
