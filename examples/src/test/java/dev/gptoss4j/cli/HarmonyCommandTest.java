package dev.gptoss4j.cli;

import static dev.gptoss4j.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gptoss4j.cli.CliRun.Outcome;
import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.HarmonyJson;
import dev.gptoss4j.engine.harmony.HarmonyText;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.SystemContent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HarmonyCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMPT = """
            <|start|>system<|message|>You are ChatGPT, a large language model trained by OpenAI.
            Knowledge cutoff: 2024-06
            Current date: 2025-06-28

            Reasoning: medium

            # Valid channels: analysis, commentary, final. Channel must be included for every message.<|end|>\
            <|start|>user<|message|>What is 2 + 2?<|end|><|start|>assistant""";

    @TempDir
    Path dir;

    private Path conversationFile() throws Exception {
        Conversation c = Conversation.of(
                Message.system(SystemContent.builder()
                        .conversationStartDate("2025-06-28")
                        .build()),
                Message.user("What is 2 + 2?"));
        return Files.writeString(dir.resolve("conversation.json"), HarmonyJson.toPrettyJson(c));
    }

    @Test
    void renderPrintsThePromptText() throws Exception {
        Outcome r = run("harmony", "render", "--in", conversationFile().toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(PROMPT + System.lineSeparator(), r.out());
    }

    @Test
    void renderPrintsTokenIds() throws Exception {
        Outcome r = run("harmony", "render", "--in", conversationFile().toString(), "--tokens");
        assertEquals(0, r.code(), r.err());
        JsonNode ids = JSON.readTree(r.out());
        int[] actual = new int[ids.size()];
        for (int i = 0; i < actual.length; i++) actual[i] = ids.get(i).intValue();
        assertEquals(Arrays.toString(HarmonyText.tokenize(PROMPT)), Arrays.toString(actual));
    }

    @Test
    void renderTrainingModeEndsAFinalAnswerWithReturn() throws Exception {
        Path file = Files.writeString(
                dir.resolve("c.json"),
                HarmonyJson.toJson(Conversation.of(Message.user("hi"), Message.assistant("final", "hello"))));
        Outcome r = run("harmony", "render", "--in", file.toString(), "--mode", "training");
        assertEquals(
                "<|start|>user<|message|>hi<|end|><|start|>assistant<|channel|>final<|message|>hello<|return|>",
                r.out().strip());
    }

    @Test
    void parseReadsHarmonyTextAndPrintsMessagesJson() throws Exception {
        Path file = Files.writeString(
                dir.resolve("completion.txt"),
                "<|channel|>analysis<|message|>Simple.<|end|><|start|>assistant to=functions.get_weather<|channel|>commentary"
                        + " <|constrain|>json<|message|>{\"city\": \"Paris\"}<|call|>\n");
        Outcome r = run("harmony", "parse", "--in", file.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(
                List.of(
                        Message.assistant("analysis", "Simple."),
                        Message.assistant("commentary", "{\"city\": \"Paris\"}")
                                .withRecipient("functions.get_weather")
                                .withContentType("<|constrain|>json")),
                HarmonyJson.messagesFromJson(r.out()));
    }

    @Test
    void parseReadsTokenIdArrays() throws Exception {
        int[] ids = HarmonyText.tokenize("<|start|>assistant<|channel|>final<|message|>4<|return|>");
        Path file = Files.writeString(dir.resolve("ids.json"), Arrays.toString(ids));
        Outcome r = run("harmony", "parse", "--in", file.toString());
        assertEquals(List.of(Message.assistant("final", "4")), HarmonyJson.messagesFromJson(r.out()));
    }

    @Test
    void malformedInputIsAOneLineError() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.txt"), "<|start|>assistant<|channel|>final<|end|>");
        Outcome r = run("harmony", "parse", "--in", file.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("<|end|> ends a message header that has no <|message|>"), r.err());
        Outcome lenient = run("harmony", "parse", "--in", file.toString(), "--lenient");
        assertEquals(0, lenient.code(), lenient.err());
        assertEquals("[ ]", lenient.out().strip());
        Outcome missing =
                run("harmony", "render", "--in", dir.resolve("nope.json").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("no such file: "), missing.err());
    }
}
