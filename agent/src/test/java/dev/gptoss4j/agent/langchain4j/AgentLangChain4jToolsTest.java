package dev.gptoss4j.agent.langchain4j;

import static org.junit.jupiter.api.Assertions.*;

import dev.gptoss4j.agent.Agent;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.ToolCall;
import dev.gptoss4j.agent.tool.ToolOutcome;
import dev.gptoss4j.engine.harmony.DeveloperContent;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.Role;
import dev.gptoss4j.engine.harmony.ToolDescription;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.mcp.McpToolProvider;
import dev.langchain4j.mcp.client.DefaultMcpClient;
import dev.langchain4j.mcp.client.McpClient;
import dev.langchain4j.mcp.client.transport.http.StreamableHttpMcpTransport;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.langchain4j.service.tool.ToolProviderResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Our agent with LangChain4j tools: @Tool objects, specification and executor pairs, tool providers, MCP. */
class AgentLangChain4jToolsTest {

    public static class Clock {
        @Tool("The current time in a city.")
        public String time(@P("city") String city) {
            return "12:00 in " + city;
        }
    }

    static String call(String tool, String args) {
        return "<|channel|>commentary to=functions." + tool + " <|constrain|>json<|message|>" + args + "<|call|>";
    }

    static String answer(String text) {
        return "<|channel|>final<|message|>" + text + "<|return|>";
    }

    static final ToolSpecification SHOUT = ToolSpecification.builder()
            .name("shout")
            .description("Upper-cases text.")
            .parameters(JsonObjectSchema.builder()
                    .addStringProperty("text")
                    .required("text")
                    .build())
            .build();

    @Test
    void toolObjectsSpecificationExecutorPairsMapsAndProvidersAllRun() {
        List<ToolExecutionRequest> seen = new ArrayList<>();
        ToolExecutor shout = (request, memoryId) -> {
            seen.add(request);
            return request.arguments().toUpperCase();
        };
        ToolSpecification echo =
                ToolSpecification.builder().name("echo").description("Echoes.").build();
        Map<ToolSpecification, ToolExecutor> map = new LinkedHashMap<>();
        map.put(echo, (request, memoryId) -> "echo " + request.arguments());
        ToolSpecification count = ToolSpecification.builder()
                .name("count")
                .description("Counts to three.")
                .build();
        var provider = (dev.langchain4j.service.tool.ToolProvider) request ->
                ToolProviderResult.builder().add(count, (r, m) -> "1 2 3").build();

        RecordingBackend backend = new RecordingBackend(
                call("time", "{\"city\":\"Oslo\"}"),
                call("shout", "{\"text\":\"hi\"}"),
                call("echo", "{}"),
                call("count", "{}"),
                answer("done"));
        AgentResult r = Agent.builder()
                .backend(backend)
                .tools(new Clock(), map, provider)
                .tool(SHOUT, shout)
                .build()
                .run("Use every tool.");

        assertEquals("done", r.finalText());
        assertEquals(
                List.of("12:00 in Oslo", "{\"TEXT\":\"HI\"}", "echo {}", "1 2 3"),
                r.toolCalls().stream().map(ToolCall::result).toList());
        assertTrue(r.toolCalls().stream().allMatch(c -> c.status() == ToolOutcome.Status.OK));
        assertEquals("shout", seen.getFirst().name());
        assertEquals("{\"text\":\"hi\"}", seen.getFirst().arguments());
        assertTrue(seen.getFirst().id().startsWith("call_"));

        DeveloperContent dev = (DeveloperContent) backend.requests
                .getFirst()
                .conversation()
                .messages()
                .get(1)
                .content()
                .getFirst();
        assertEquals(
                List.of("time", "echo", "count", "shout"),
                dev.functionTools().stream().map(ToolDescription::name).toList());
        ToolDescription shoutDescription = dev.functionTools().getLast();
        assertEquals(
                "string",
                shoutDescription.parameters().at("/properties/text/type").asText());
    }

    @Test
    void argumentsAreCheckedAgainstTheSpecificationBeforeTheExecutorRuns() {
        List<String> ran = new ArrayList<>();
        RecordingBackend backend = new RecordingBackend(call("shout", "{\"txt\":\"hi\"}"), answer("gave up"));
        AgentResult r = Agent.builder()
                .backend(backend)
                .tool(SHOUT, (request, memoryId) -> {
                    ran.add(request.arguments());
                    return "x";
                })
                .build()
                .run("Shout hi.");
        assertEquals(
                ToolOutcome.Status.INVALID_ARGUMENTS, r.toolCalls().getFirst().status());
        assertTrue(
                r.toolCalls().getFirst().result().contains("text"),
                r.toolCalls().getFirst().result());
        assertTrue(ran.isEmpty());
    }

    @Test
    void badToolMapsAreRefusedClearly() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Agent.builder().tools(Map.of("name", "not an executor")));
        assertTrue(e.getMessage().contains("ToolSpecification to ToolExecutor"), e.getMessage());
        assertTrue(e.getMessage().contains("java.lang.String"), e.getMessage());
    }

    @Test
    void mcpServerToolsReachTheAgentThroughLangChain4jsMcpClient() throws Exception {
        try (LoopbackMcpServer server = new LoopbackMcpServer()) {
            McpClient client = new DefaultMcpClient.Builder()
                    .transport(new StreamableHttpMcpTransport.Builder()
                            .url(server.url())
                            .timeout(Duration.ofSeconds(10))
                            .build())
                    .autoHealthCheck(false)
                    .toolExecutionTimeout(Duration.ofSeconds(10))
                    .build();
            try (client) {
                McpToolProvider provider =
                        McpToolProvider.builder().mcpClients(client).build();
                RecordingBackend backend = new RecordingBackend(
                        call("add", "{\"a\":40,\"b\":2}"), call("fail", "{}"), answer("40 + 2 = 42"));
                AgentResult r =
                        Agent.builder().backend(backend).tools(provider).build().run("Add 40 and 2.");

                assertEquals("40 + 2 = 42", r.finalText());
                assertEquals(2, server.toolCalls.size());
                assertEquals("add", server.toolCalls.getFirst().path("name").asText());
                assertEquals(40, server.toolCalls.getFirst().at("/arguments/a").asInt());
                assertEquals(2, server.toolCalls.getFirst().at("/arguments/b").asInt());
                assertEquals("42", r.toolCalls().getFirst().result());
                assertEquals(ToolOutcome.Status.OK, r.toolCalls().getFirst().status());
                assertEquals(ToolOutcome.Status.FAILED, r.toolCalls().get(1).status());
                assertTrue(
                        r.toolCalls().get(1).result().contains("disk on fire"),
                        r.toolCalls().get(1).result());
                assertTrue(
                        server.methods.containsAll(List.of("initialize", "tools/list", "tools/call")),
                        server.methods.toString());

                DeveloperContent dev = (DeveloperContent) backend.requests
                        .getFirst()
                        .conversation()
                        .messages()
                        .get(1)
                        .content()
                        .getFirst();
                ToolDescription add = dev.functionTools().getFirst();
                assertEquals("add", add.name());
                assertEquals("Adds two integers.", add.description());
                assertEquals(
                        "integer", add.parameters().at("/properties/a/type").asText());
                assertEquals(
                        "first",
                        add.parameters().at("/properties/a/description").asText());
                Message toolMessage = r.conversation().messages().stream()
                        .filter(m -> m.role() == Role.TOOL)
                        .findFirst()
                        .orElseThrow();
                assertEquals("functions.add", toolMessage.author().name());
                assertEquals("42", toolMessage.text());
            }
        }
    }
}
