package dev.gptoss4j.engine.harmony;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gptoss4j.engine.harmony.HarmonyParseException.Kind;
import dev.gptoss4j.engine.tokenizer.SpecialTokens;
import dev.gptoss4j.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The parser against openai/harmony's parsing tests (src/tests.rs, tests/test_harmony.py) and our own edges. */
class HarmonyStreamParserTest {

    private static final Tokenizer TOK = Tokenizer.o200kHarmony();

    private static List<Message> parse(String harmonyText, Role startRole) {
        return HarmonyStreamParser.parse(HarmonyText.tokenize(harmonyText), startRole);
    }

    private static List<Message> parseLenient(String harmonyText, Role startRole) {
        HarmonyStreamParser p =
                HarmonyStreamParser.builder().startRole(startRole).strict(false).build();
        for (int t : HarmonyText.tokenize(harmonyText)) p.accept(t);
        p.finish();
        return p.messages();
    }

    private static int[] concat(int[]... parts) {
        return java.util.Arrays.stream(parts).flatMapToInt(IntStream::of).toArray();
    }

    @Test
    void simpleReasoningResponseFixture() {
        List<Message> parsed =
                HarmonyStreamParser.parse(Fixtures.tokenIds("test_simple_reasoning_response.txt"), Role.ASSISTANT);
        assertEquals(
                List.of(
                        Message.assistant(
                                "analysis", "User asks: \"What is 2 + 2?\" Simple arithmetic. Provide answer."),
                        Message.assistant("final", "2 + 2 = 4.")),
                parsed);
    }

    @Test
    void simpleToolCallFixture() {
        List<Message> parsed =
                HarmonyStreamParser.parse(Fixtures.tokenIds("test_simple_tool_call.txt"), Role.ASSISTANT);
        assertEquals(
                List.of(
                        Message.assistant(
                                "analysis",
                                "User asks: \"What is the weather in Tokyo?\" We need to use lookup_weather tool."),
                        Message.assistant("analysis", "{\"location\": \"Tokyo\"}")
                                .withRecipient("lookup_weather")
                                .withContentType("code")),
                parsed);
    }

    @Test
    void simpleToolCallInlineTokensOfRustTest() {
        int[] response = {
            200005, 35644, 200008, 1844, 31064, 25, 392, 4827, 382, 290, 11122, 306, 40510, 16842, 1416, 1309, 316,
            1199, 37342, 170154, 4584, 13, 200007, 200006, 173781, 200005, 35644, 316, 28, 29712, 170154, 3490, 200008,
            10848, 7693, 1243, 392, 173844, 18583
        };
        List<Message> parsed = HarmonyStreamParser.parse(response, Role.ASSISTANT);
        assertEquals(2, parsed.size());
        assertEquals(
                Message.assistant("analysis", "{\"location\": \"Tokyo\"}")
                        .withRecipient("lookup_weather")
                        .withContentType("code"),
                parsed.get(1));
    }

    @Test
    void streamableParserFixtureGivesThreeMessages() {
        HarmonyStreamParser p = HarmonyStreamParser.forAssistant();
        for (int t : HarmonyText.tokenize(Fixtures.text("test_streamable_parser.txt"))) p.accept(t);
        List<Message> m = p.messages();
        assertEquals(3, m.size());
        assertEquals("analysis", m.get(0).channel());
        assertTrue(m.get(0).text().startsWith("User asks \"Who is the current US president?\""));
        assertEquals(
                Message.assistant(
                                "commentary",
                                "{\"query\": \"current US president July 2025\", \"topn\": 10, \"source\": \"news\"}")
                        .withRecipient("browser.search")
                        .withContentType("code"),
                m.get(1));
        assertEquals(
                Message.tool("browser.search", "{\"result\": \"https://openai.com/\"}")
                        .withChannel("commentary")
                        .withRecipient("assistant"),
                m.get(2));
    }

    @Test
    void toolResponseParsingFixture() {
        String text = Fixtures.text("test_tool_response_parsing.txt");
        Message expected = Message.tool("browser.search", "{\"result\": \"https://openai.com/\"}")
                .withChannel("commentary")
                .withRecipient("assistant");
        assertEquals(List.of(expected), parse(text, null));
        // As in the Python test: the fixture is the rendered message without its <|end|>.
        int[] rendered = HarmonyRenderer.create().render(expected);
        assertEquals(text, TOK.decode(java.util.Arrays.copyOf(rendered, rendered.length - 1)));
    }

    @Test
    void headerOrdersTheModelProduces() {
        Message expected = Message.assistant("commentary", "{\"location\": \"Tokyo\"}")
                .withRecipient("functions.get_weather")
                .withContentType("<|constrain|>json");
        for (String header : List.of(
                "assistant to=functions.get_weather<|channel|>commentary <|constrain|>json",
                "assistant to=functions.get_weather<|channel|>commentary<|constrain|>json",
                "assistant<|channel|>commentary to=functions.get_weather<|constrain|>json",
                "assistant<|channel|>commentary to=functions.get_weather <|constrain|>json")) {
            assertEquals(
                    List.of(expected),
                    parse("<|start|>" + header + "<|message|>{\"location\": \"Tokyo\"}<|call|>", null),
                    header);
        }
        // recipient written on the assistant role of a completion that began after "<|start|>assistant"
        assertEquals(
                List.of(expected),
                parse(
                        " to=functions.get_weather<|channel|>commentary <|constrain|>json<|message|>{\"location\": \"Tokyo\"}<|call|>",
                        Role.ASSISTANT));
    }

    @Test
    void constrainedToolCallRoundTripsThroughRenderer() {
        String text =
                "<|start|>assistant to=functions.get_weather<|channel|>commentary <|constrain|>json<|message|>{\"location\": \"Tokyo\"}<|call|>";
        int[] tokens = HarmonyText.tokenize(text);
        List<Message> parsed = HarmonyStreamParser.parse(tokens, null);
        assertArrayEquals(
                tokens, HarmonyRenderer.create().render(Conversation.of(parsed), RenderOptions.conversation()));
    }

    @Test
    void missingMessageTokenStrictRejectsLenientRecovers() {
        String[] texts = {
            "I must refuse<|end|><|start|>assistant<|channel|>analysis<|message|>We must refuse<|end|>"
                    + "<|start|>assistant<|channel|>final<|message|>I'm sorry, but I can't help with that.<|return|>",
            "<|channel|>analysis I must refuse<|end|><|start|>assistant<|channel|>analysis<|message|>We must refuse<|end|>"
                    + "<|start|>assistant<|channel|>final<|message|>I'm sorry, but I can't help with that.<|return|>",
        };
        List<List<Message>> expected = List.of(
                List.of(
                        Message.assistant("I must refuse"),
                        Message.assistant("analysis", "We must refuse"),
                        Message.assistant("final", "I'm sorry, but I can't help with that.")),
                List.of(
                        Message.assistant("analysis", "I must refuse"),
                        Message.assistant("analysis", "We must refuse"),
                        Message.assistant("final", "I'm sorry, but I can't help with that.")));
        for (int i = 0; i < texts.length; i++) {
            String text = texts[i];
            HarmonyParseException e = assertThrows(HarmonyParseException.class, () -> parse(text, Role.ASSISTANT));
            assertEquals(Kind.MISSING_MESSAGE_TOKEN, e.kind());
            assertEquals(expected.get(i), parseLenient(text, Role.ASSISTANT));
        }
        String toolCall =
                "... Let's use the tool.<|end|><|start|>assistant to=functions.get_weather<|channel|>commentary json"
                        + "<|message|>{\"location\": \"Tokyo\"}<|call|>";
        assertThrows(HarmonyParseException.class, () -> parse(toolCall, Role.ASSISTANT));
        assertEquals(
                List.of(
                        Message.assistant("... Let's use the tool."),
                        Message.assistant("commentary", "{\"location\": \"Tokyo\"}")
                                .withRecipient("functions.get_weather")
                                .withContentType("json")),
                parseLenient(toolCall, Role.ASSISTANT));
        assertEquals(
                List.of(Message.assistant("commentary", "Hello")),
                parseLenient("<|channel|>commentary Hello<|end|>", Role.ASSISTANT));
    }

    @Test
    void parserResumesAtNextStartAfterAnError() {
        HarmonyStreamParser p = HarmonyStreamParser.forAssistant();
        int[] tokens = HarmonyText.tokenize(
                "I must refuse<|end|>junk<|start|>assistant<|channel|>final<|message|>ok<|return|>");
        List<HarmonyParseException> errors = new ArrayList<>();
        for (int t : tokens) {
            try {
                p.accept(t);
            } catch (HarmonyParseException e) {
                errors.add(e);
            }
        }
        p.finish();
        assertEquals(1, errors.size());
        assertEquals(3, errors.getFirst().position()); // "I", " must", " refuse", <|end|>
        assertEquals(SpecialTokens.END, errors.getFirst().token());
        assertEquals(List.of(Message.assistant("final", "ok")), p.messages());
    }

    @Test
    void malformedStreamsGiveTypedErrors() {
        record Bad(String text, Role role, Kind kind) {}
        for (Bad bad : List.of(
                new Bad("hello", null, Kind.EXPECTED_START),
                new Bad("<|start|>assistant<|start|>assistant<|message|>x<|end|>", null, Kind.UNEXPECTED_SPECIAL_TOKEN),
                new Bad(
                        "<|start|>assistant<|reserved_200014|><|message|>x<|end|>",
                        null,
                        Kind.UNEXPECTED_SPECIAL_TOKEN),
                new Bad("<|start|>assistant<|channel|><|message|>x<|end|>", null, Kind.MALFORMED_HEADER),
                new Bad("<|start|><|message|>x<|end|>", null, Kind.MALFORMED_HEADER),
                new Bad("<|start|>assistant to=a b c d<|message|>x<|end|>", null, Kind.MALFORMED_HEADER),
                new Bad("<|start|>assistant<|channel|>final", null, Kind.END_OF_STREAM_IN_HEADER),
                new Bad(
                        "<|start|>assistant<|message|>a<|start|>user<|message|>b<|end|>",
                        null,
                        Kind.UNEXPECTED_SPECIAL_TOKEN))) {
            HarmonyParseException e =
                    assertThrows(HarmonyParseException.class, () -> parse(bad.text(), bad.role()), bad.text());
            assertEquals(bad.kind(), e.kind(), bad.text() + ": " + e.getMessage());
        }
        HarmonyStreamParser p = HarmonyStreamParser.builder().maxHeaderTokens(8).build();
        p.accept(SpecialTokens.START);
        int word = TOK.encode("assistant")[0];
        HarmonyParseException tooLong = assertThrows(HarmonyParseException.class, () -> {
            for (int i = 0; i < 100; i++) p.accept(word);
        });
        assertEquals(Kind.HEADER_TOO_LONG, tooLong.kind());
        assertEquals(9, tooLong.position());
        HarmonyParseException invalid = assertThrows(
                HarmonyParseException.class,
                () -> HarmonyStreamParser.parse(new int[] {SpecialTokens.START, -5}, null));
        assertEquals(Kind.INVALID_TOKEN, invalid.kind());
    }

    @Test
    void lenientModeKeepsStraySpecialsAsText() {
        assertEquals(
                List.of(Message.assistant("a<|start|>b")),
                parseLenient("<|start|>assistant<|message|>a<|start|>b<|end|>", null));
    }

    @Test
    void endOfStreamCompletesContentAndEmptyStreamIsNoMessage() {
        List<MessageStop> stops = new ArrayList<>();
        HarmonyStreamParser p = HarmonyStreamParser.builder()
                .startRole(Role.ASSISTANT)
                .listener(new HarmonyParseListener() {
                    @Override
                    public void onMessageDone(Message message, MessageStop stop) {
                        stops.add(stop);
                    }
                })
                .build();
        for (int t : HarmonyText.tokenize("<|channel|>final<|message|>partial answer")) p.accept(t);
        p.finish();
        assertEquals(List.of(Message.assistant("final", "partial answer")), p.messages());
        assertEquals(List.of(MessageStop.END_OF_STREAM), stops);
        assertEquals(List.of(), HarmonyStreamParser.parse(new int[0], Role.ASSISTANT));
    }

    @Test
    void eventsCarryHeaderDeltasAndStopToken() {
        List<String> events = new ArrayList<>();
        HarmonyParseListener l = new HarmonyParseListener() {
            @Override
            public void onMessageStart(MessageHeader h) {
                events.add("start " + h.role() + " " + h.channel() + " " + h.recipient() + " " + h.contentType());
            }

            @Override
            public void onContentDelta(MessageHeader h, String delta) {
                events.add("delta " + delta);
            }

            @Override
            public void onMessageDone(Message m, MessageStop stop) {
                events.add("done " + stop + " " + m.text());
            }
        };
        HarmonyStreamParser p = HarmonyStreamParser.builder()
                .startRole(Role.ASSISTANT)
                .listener(l)
                .build();
        for (int t : HarmonyText.tokenize("<|channel|>analysis<|message|>Hi there<|end|>"
                + "<|start|>assistant to=functions.f<|channel|>commentary <|constrain|>json<|message|>{}<|call|>")) {
            p.accept(t);
        }
        assertEquals(
                List.of(
                        "start assistant analysis null null",
                        "delta Hi",
                        "delta  there",
                        "done END Hi there",
                        "start assistant commentary functions.f <|constrain|>json",
                        "delta {}",
                        "done CALL {}"),
                events);
    }

    @Test
    void multiTokenCharacterIsHeldBackUntilComplete() {
        int[] emoji = TOK.encode("💖");
        assertTrue(emoji.length >= 2, "the test needs an emoji split over tokens");
        List<String> deltas = new ArrayList<>();
        HarmonyStreamParser p = HarmonyStreamParser.builder()
                .listener(new HarmonyParseListener() {
                    @Override
                    public void onContentDelta(MessageHeader h, String delta) {
                        deltas.add(delta);
                    }
                })
                .build();
        for (int t : HarmonyText.tokenize("<|start|>assistant<|message|>")) p.accept(t);
        p.accept(emoji[0]);
        assertEquals(List.of(), deltas);
        assertEquals("", p.currentContent());
        for (int i = 1; i < emoji.length; i++) p.accept(emoji[i]);
        assertEquals(List.of("💖"), deltas);
        p.accept(SpecialTokens.END);
        assertEquals(List.of(Message.assistant("💖")), p.messages());
    }

    @Test
    void invalidUtf8BecomesReplacementCharactersLikeTheReference() {
        int[] prefix = HarmonyText.tokenize("<|start|>assistant<|message|>");
        int[] end = {SpecialTokens.END};
        // token 9552 is the bytes [32, 240, 159]: a space and the start of a 4-byte character
        assertEquals(
                List.of(Message.assistant(" \uFFFD \uFFFDworked")),
                HarmonyStreamParser.parse(concat(prefix, new int[] {9552, 9552}, TOK.encode("worked"), end), null));
        assertEquals(
                List.of(Message.assistant(" \uFFFDXY")),
                HarmonyStreamParser.parse(concat(prefix, new int[] {9552}, TOK.encode("XY"), end), null));
        assertEquals(
                List.of(Message.assistant(" \uFFFD interesting")),
                HarmonyStreamParser.parse(concat(prefix, new int[] {9552}, TOK.encode(" interesting"), end), null));
        // flushed at end of stream
        assertEquals(
                List.of(Message.assistant(" \uFFFDHi")),
                HarmonyStreamParser.parse(concat(prefix, new int[] {9552}, TOK.encode("Hi")), null));
        // bytes do not leak into the next message
        List<Message> two = HarmonyStreamParser.parse(
                concat(prefix, new int[] {9552, 9552}, end, prefix, TOK.encode("Hi"), end), null);
        assertEquals(Message.assistant("Hi"), two.get(1));
    }

    @Test
    void trickyUtf8RoundTripsThroughDeltas() {
        String tricky = "Hello Müller, Γειά σου, Привет, שלום, مرحبا, नमस्ते, こんにちは, 안녕하세요, 你好. "
                + "Normalized (naïve) vs. decomposed (naïve) characters. Some emojis: 😊👋🏾👨‍👩‍👧‍👦🇺🇸.";
        StringBuilder deltas = new StringBuilder();
        HarmonyStreamParser p = HarmonyStreamParser.builder()
                .listener(new HarmonyParseListener() {
                    @Override
                    public void onContentDelta(MessageHeader h, String delta) {
                        deltas.append(delta);
                    }
                })
                .build();
        for (int t : concat(
                HarmonyText.tokenize("<|start|>assistant<|message|>"), TOK.encode(tricky), new int[] {SpecialTokens.END
                })) {
            p.accept(t);
        }
        assertEquals(List.of(Message.assistant(tricky)), p.messages());
        assertEquals(tricky, deltas.toString());
    }

    @Test
    void parsesARenderedConversationBack() {
        Conversation c = Conversation.of(
                Message.user("What is the weather in SF?"),
                Message.builder(Role.USER).name("alice").text("and in Paris?").build(),
                Message.assistant("analysis", "Need the tool."),
                Message.assistant("commentary", "{\"location\": \"San Francisco\"}")
                        .withRecipient("functions.lookup_weather")
                        .withContentType("<|constrain|>json"),
                Message.tool("functions.lookup_weather", "{\"temperature\": 20}")
                        .withChannel("commentary"),
                Message.assistant("final", "It is 20 degrees."));
        int[] tokens =
                HarmonyRenderer.create().render(c, RenderOptions.conversation().keepAnalysis());
        assertEquals(c.messages(), HarmonyStreamParser.parse(tokens, null));
    }

    @Test
    void stateAccessors() {
        HarmonyStreamParser p = HarmonyStreamParser.forAssistant();
        assertEquals(HarmonyStreamParser.State.HEADER, p.state());
        for (int t : HarmonyText.tokenize("<|channel|>final<|message|>Hel")) p.accept(t);
        assertEquals(HarmonyStreamParser.State.CONTENT, p.state());
        assertEquals("final", p.currentHeader().channel());
        assertEquals("Hel", p.currentContent());
        p.accept(SpecialTokens.RETURN);
        assertNull(p.currentHeader());
        assertEquals(HarmonyStreamParser.State.EXPECT_START, p.state());
    }
}
