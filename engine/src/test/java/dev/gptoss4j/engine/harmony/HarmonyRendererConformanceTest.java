package dev.gptoss4j.engine.harmony;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gptoss4j.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rendering fixture of openai/harmony (commit ec7606d), built from the same conversation its tests build
 * (src/tests.rs, tests/test_harmony.py), must come out byte for byte, and token for token equal to the fixture
 * tokenized with its special tokens split out.
 */
class HarmonyRendererConformanceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HarmonyRenderer RENDERER = HarmonyRenderer.create();
    private static final String IDENTITY = "You are ChatGPT, a large language model trained by OpenAI.";

    record Case(String file, Conversation conversation, RenderOptions options) {
        @Override
        public String toString() {
            return file;
        }
    }

    static Stream<Arguments> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case(
                "test_simple_convo.txt",
                Conversation.of(
                        Message.system(
                                SystemContent.builder().modelIdentity(IDENTITY).build()),
                        Message.user("What is 2 + 2?")),
                RenderOptions.completion()));
        for (ReasoningEffort effort : ReasoningEffort.values()) {
            for (boolean instruction : new boolean[] {true, false}) {
                String file = "test_simple_convo_" + effort.promptWord() + "_effort"
                        + (instruction ? "" : "_no_instruction") + ".txt";
                List<Message> messages = new ArrayList<>();
                messages.add(Message.system(SystemContent.builder()
                        .modelIdentity(IDENTITY)
                        .reasoningEffort(effort)
                        .build()));
                if (instruction) {
                    messages.add(Message.developer(
                            DeveloperContent.instructions("Answer the user's questions like a robot.")));
                }
                messages.add(Message.user("What is the capital of the largest country in the world?"));
                cases.add(new Case(file, Conversation.of(messages), RenderOptions.completion()));
            }
        }
        cases.add(new Case(
                "test_reasoning_system_message.txt",
                Conversation.of(
                        Message.system(SystemContent.builder()
                                .modelIdentity(IDENTITY)
                                .reasoningEffort(ReasoningEffort.MEDIUM)
                                .requiredChannels("analysis", "final")
                                .build()),
                        Message.user("What is 2 + 2?")),
                RenderOptions.completion()));
        cases.add(new Case(
                "test_reasoning_system_message_no_instruction.txt",
                Conversation.of(
                        Message.system(SystemContent.builder()
                                .modelIdentity(IDENTITY)
                                .reasoningEffort(ReasoningEffort.HIGH)
                                .requiredChannels("analysis", "final")
                                .build()),
                        Message.user("What is the best place to eat candy in the world?")),
                RenderOptions.completion()));
        cases.add(new Case(
                "test_reasoning_system_message_with_dates.txt",
                Conversation.of(
                        Message.system(SystemContent.builder()
                                .modelIdentity(IDENTITY)
                                .reasoningEffort(ReasoningEffort.MEDIUM)
                                .conversationStartDate("2021-01-01")
                                .knowledgeCutoff("2021-01")
                                .requiredChannels("analysis", "final")
                                .build()),
                        Message.user("What is 42 * pi?")),
                RenderOptions.completion()));
        cases.add(new Case(
                "test_render_functions_with_parameters.txt", functionsConversation(), RenderOptions.completion()));
        cases.add(new Case(
                "test_no_tools.txt",
                Conversation.of(Message.system(SystemContent.builder()
                        .conversationStartDate("2025-06-28")
                        .build())),
                RenderOptions.completion()));
        cases.add(new Case(
                "test_browser_tool_only.txt",
                Conversation.of(Message.system(SystemContent.builder()
                        .conversationStartDate("2025-06-28")
                        .browserTool()
                        .build())),
                RenderOptions.completion()));
        cases.add(new Case(
                "test_browser_and_function_tool.txt",
                Conversation.of(
                        Message.system(SystemContent.builder()
                                .conversationStartDate("2025-06-28")
                                .browserTool()
                                .build()),
                        Message.developer(DeveloperContent.builder()
                                .functionTools(List.of(ToolDescription.of(
                                        "lookup_weather",
                                        "Use this tool to lookup the weather in a given location. Call it with the parameter"
                                                + " 'location', can be any textual description of a location.",
                                        json("{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"}},"
                                                + "\"required\":[\"location\"]}"))))
                                .build())),
                RenderOptions.completion()));
        cases.add(new Case(
                "test_browser_and_python_tool.txt",
                Conversation.of(Message.system(SystemContent.builder()
                        .conversationStartDate("2025-06-28")
                        .browserTool()
                        .pythonTool()
                        .build())),
                RenderOptions.completion()));
        cases.add(new Case(
                "test_dropping_cot_by_default.txt",
                Conversation.of(
                        Message.user("What is 2 + 2?"),
                        Message.assistant("analysis", "User asks: “What is 2 + 2?” Simple arithmetic. Provide answer."),
                        Message.assistant("final", "2 + 2 equals 4."),
                        Message.user("What about 9 / 2?")),
                RenderOptions.completion()));
        cases.add(new Case(
                "test_does_not_drop_if_ongoing_analysis.txt",
                Conversation.of(
                        Message.user("What is the weather in SF?"),
                        Message.assistant(
                                "analysis",
                                "User asks: “What is the weather in SF?” We need to use lookup_weather tool."),
                        Message.assistant("commentary", "{\"location\": \"San Francisco\"}")
                                .withRecipient("functions.lookup_weather")
                                .withContentType("<|constrain|>json"),
                        Message.tool("functions.lookup_weather", "{\"temperature\": 20, \"description\": \"sunny\"}")),
                RenderOptions.completion()));
        cases.add(new Case(
                "test_preserve_cot.txt",
                Conversation.of(
                        Message.user("What is 2 + 2?"),
                        Message.assistant("analysis", "User asks a simple question: \"What is 2 + 2?\" The answer: 4."),
                        Message.assistant("final", "2 + 2 equals 4."),
                        Message.user("What about 9 / 2?")),
                RenderOptions.completion().keepAnalysis()));
        cases.add(new Case(
                "test_keep_analysis_between_finals.txt",
                Conversation.of(
                        Message.user("What is 2 + 2?"),
                        Message.assistant("analysis", "thinking 2+2"),
                        Message.assistant("final", "4"),
                        Message.user("What is 3 + 5?"),
                        Message.assistant("analysis", "thinking 3+5"),
                        Message.assistant("final", "8")),
                RenderOptions.conversation()));
        return cases.stream().map(Arguments::of);
    }

    static Conversation functionsConversation() {
        SystemContent sys = SystemContent.builder()
                .reasoningEffort(ReasoningEffort.HIGH)
                .conversationStartDate("2025-06-28")
                .build();
        DeveloperContent dev = DeveloperContent.builder()
                .instructions("Always respond in riddles")
                .functionTools(List.of(
                        ToolDescription.of("get_location", "Gets the location of the user."),
                        ToolDescription.of(
                                "get_current_weather", "Gets the current weather in the provided location.", json("""
                                        {"type": "object",
                                         "properties": {
                                           "location": {"type": "string", "description": "The city and state, e.g. San Francisco, CA"},
                                           "format": {"type": "string", "enum": ["celsius", "fahrenheit"], "default": "celsius"}},
                                         "required": ["location"]}""")),
                        ToolDescription.of(
                                "get_multiple_weathers",
                                "Gets the current weather in the provided list of locations.",
                                json("""
                                        {"type": "object",
                                         "properties": {
                                           "locations": {"type": "array", "items": {"type": "string"},
                                             "description": "List of city and state, e.g. [\\"San Francisco, CA\\", \\"New York, NY\\"]"},
                                           "format": {"type": "string", "enum": ["celsius", "fahrenheit"], "default": "celsius"}},
                                         "required": ["locations"]}""")),
                        ToolDescription.of("kitchensink", "A function with various complex schemas.", json("""
                                        {"description": "params object",
                                         "type": "object",
                                         "properties": {
                                           "string": {"type": "string", "title": "STRING", "description": "A string", "examples": ["hello", "world"]},
                                           "string_nullable": {"type": "string", "nullable": true, "description": "A nullable string", "default": "the default"},
                                           "string_enum": {"type": "string", "enum": ["a", "b", "c"]},
                                           "oneof_string_or_number": {
                                             "oneOf": [{"type": "string", "default": "default_string_in_oneof"},
                                                       {"type": "number", "description": "numbers can happen too"}],
                                             "description": "a oneof",
                                             "default": 20}}}"""))))
                .build();
        return Conversation.of(
                Message.system(sys), Message.developer(dev), Message.user("What is the weather like in SF?"));
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rendersFixtureByteForByte(Case c) {
        String expected = Fixtures.text(c.file());
        int[] tokens = RENDERER.render(c.conversation(), c.options());
        assertEquals(expected, Tokenizer.o200kHarmony().decode(tokens), c.file());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rendersFixtureTokenForToken(Case c) {
        int[] expected = HarmonyText.tokenize(Fixtures.text(c.file()));
        assertArrayEquals(expected, RENDERER.render(c.conversation(), c.options()), c.file());
    }
}
