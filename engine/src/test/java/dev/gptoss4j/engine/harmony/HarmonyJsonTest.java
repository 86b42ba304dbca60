package dev.gptoss4j.engine.harmony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class HarmonyJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void roundTripsEveryKindOfContent() {
        Conversation c = HarmonyRendererConformanceTest.functionsConversation()
                .append(
                        Message.system(SystemContent.builder()
                                .browserTool()
                                .pythonTool()
                                .modelIdentity(null)
                                .reasoningEffort(null)
                                .channelConfig(null)
                                .build()),
                        Message.developer(DeveloperContent.builder()
                                .responseFormat(new ResponseFormat(
                                        "list", "a list", HarmonyRendererConformanceTest.json("{\"type\":\"array\"}")))
                                .build()),
                        Message.assistant("commentary", "{}")
                                .withRecipient("functions.f")
                                .withContentType("<|constrain|>json"),
                        Message.tool("functions.f", "42").withRecipient("assistant"),
                        Message.builder(Role.USER)
                                .name("alice")
                                .text("a")
                                .text("b")
                                .build());
        assertEquals(c, HarmonyJson.conversationFromJson(HarmonyJson.toJson(c)));
        assertEquals(c, HarmonyJson.conversationFromJson(HarmonyJson.toPrettyJson(c)));
    }

    @Test
    void writesThePythonPackageShape() throws Exception {
        Conversation c = Conversation.of(
                Message.system(SystemContent.builder()
                        .conversationStartDate("2025-06-28")
                        .build()),
                Message.assistant("commentary", "{}")
                        .withRecipient("functions.f")
                        .withContentType("<|constrain|>json"),
                Message.tool("functions.f", "42"));
        JsonNode expected = JSON.readTree("""
                {"messages": [
                  {"role": "system", "content": [{"model_identity": "You are ChatGPT, a large language model trained by OpenAI.",
                    "reasoning_effort": "Medium", "conversation_start_date": "2025-06-28", "knowledge_cutoff": "2024-06",
                    "channel_config": {"valid_channels": ["analysis", "commentary", "final"], "channel_required": true},
                    "type": "system_content"}]},
                  {"role": "assistant", "content": [{"type": "text", "text": "{}"}], "channel": "commentary",
                   "recipient": "functions.f", "content_type": "<|constrain|>json"},
                  {"role": "tool", "name": "functions.f", "content": [{"type": "text", "text": "42"}]}]}""");
        assertEquals(expected, JSON.readTree(HarmonyJson.toJson(c)));
    }

    @Test
    void readsPythonOutputWithDefaultsAndStringContent() {
        Conversation c = HarmonyJson.conversationFromJson("""
                {"messages": [
                  {"role": "system", "name": null, "content": [{"type": "system_content", "reasoning_effort": "High"}]},
                  {"role": "user", "content": "What is 2 + 2?"}]}""");
        SystemContent sys = (SystemContent) c.messages().get(0).content().getFirst();
        assertEquals(
                SystemContent.builder().reasoningEffort(ReasoningEffort.HIGH).build(), sys);
        assertEquals(Message.user("What is 2 + 2?"), c.messages().get(1));
        assertNull(c.messages().get(0).author().name());
    }

    @Test
    void errorsNameThePathAndWhatWasExpected() {
        assertEquals(
                "$.messages[1].role: unknown role 'robot' (expected user, assistant, system, developer or tool)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> HarmonyJson.conversationFromJson(
                                        "{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}, {\"role\": \"robot\", \"content\": \"x\"}]}"))
                        .getMessage());
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> HarmonyJson.conversationFromJson(
                                "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image\"}]}]}"))
                .getMessage()
                .startsWith("$.messages[0].content[0].type: unknown content type 'image'"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> HarmonyJson.conversationFromJson(
                                "{\"messages\": [{\"role\": \"tool\", \"content\": \"x\"}]}"))
                .getMessage()
                .contains("needs \"name\""));
        assertTrue(
                assertThrows(IllegalArgumentException.class, () -> HarmonyJson.conversationFromJson("{\"messages\": ["))
                        .getMessage()
                        .startsWith("invalid JSON"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HarmonyJson.conversationFromJson("{}"))
                .getMessage()
                .contains("\"messages\" array"));
    }

    @Test
    void parsedMessagesSerializeAsArray() {
        List<Message> parsed = List.of(Message.assistant("final", "4"));
        assertEquals(parsed, HarmonyJson.messagesFromJson(HarmonyJson.messagesToJson(parsed, true)));
    }
}
