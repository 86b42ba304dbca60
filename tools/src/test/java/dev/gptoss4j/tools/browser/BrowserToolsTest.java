package dev.gptoss4j.tools.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gptoss4j.agent.Agent;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.ToolCall;
import dev.gptoss4j.agent.backend.ReplayBackend;
import dev.gptoss4j.agent.tool.ApprovalPolicy;
import dev.gptoss4j.agent.tool.Tool;
import dev.gptoss4j.agent.tool.ToolOutcome;
import dev.gptoss4j.agent.tool.ToolRunner;
import dev.gptoss4j.agent.tool.ToolScope;
import dev.gptoss4j.agent.tool.ToolSet;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.SystemContent;
import dev.gptoss4j.engine.harmony.ToolNamespaceConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;

/** The three browser tools as the agent sees and runs them. */
class BrowserToolsTest {

    private static Browser browser() {
        return Browser.builder()
                .pageFetcher(HttpPageFetcher.builder()
                        .networkPolicy(NetworkPolicy.allowing("127.0.0.0/8", "::1/128"))
                        .build())
                .build();
    }

    @Test
    void toolsCarryTheTrainedDescriptionsAndSchemas() {
        List<Tool> tools = browser().tools();
        assertEquals(
                List.of("browser.search", "browser.open", "browser.find"),
                tools.stream().map(Tool::recipient).toList());
        ToolNamespaceConfig trained = ToolNamespaceConfig.browser();
        for (int i = 0; i < 3; i++) {
            assertEquals(trained.tools().get(i).description(), tools.get(i).description());
            assertEquals(trained.tools().get(i).parameters(), tools.get(i).parameters());
        }
        assertEquals(trained, browser().namespaceConfig());
        Browser news = Browser.builder()
                .searchBackend(new SearchBackend() {
                    @Override
                    public String source() {
                        return "news";
                    }

                    @Override
                    public List<SearchResult> search(String q, int n) {
                        return List.of();
                    }
                })
                .build();
        assertTrue(news.namespaceConfig().description().endsWith("\nsources=news"));
    }

    @Test
    void theAgentAnnouncesTheBrowserInTheSystemMessage() {
        Agent agent = Agent.builder()
                .backend(ReplayBackend.of("<|channel|>final<|message|>ok<|return|>"))
                .tools(browser().tools())
                .conversationStartDate("2025-08-05")
                .build();
        List<Message> preamble = agent.preamble();
        assertEquals(1, preamble.size(), "no developer message: browser is a built-in, not a function");
        SystemContent system = (SystemContent) preamble.get(0).content().get(0);
        assertEquals(Map.of("browser", ToolNamespaceConfig.browser()), system.tools());
    }

    @Test
    void callsRunThroughTheToolRunnerAndErrorsComeBackAsText() throws Exception {
        try (MockWebServer server = TestSite.start(Map.of())) {
            ToolRunner runner = new ToolRunner(
                    new ToolSet(browser().tools()), ApprovalPolicy.allowAll(), Duration.ofSeconds(30), 20_000);
            ToolOutcome empty = runner.run("browser.find", "{\"pattern\":\"tides\"}", () -> false);
            assertEquals(ToolOutcome.Status.FAILED, empty.status());
            assertEquals("No pages to access!", empty.text());

            String url = server.url("/article").toString();
            ToolOutcome opened = runner.run("browser.open", "{\"id\":\"" + url + "\"}", () -> false);
            assertEquals(ToolOutcome.Status.OK, opened.status());
            assertTrue(opened.text().startsWith("[0] Tidal Energy in Norway"), opened.text());

            ToolOutcome scrolled = runner.run("browser.open", "{\"loc\": 30, \"num_lines\": 2.0}", () -> false);
            assertTrue(scrolled.text().contains("**viewing lines [30 - 31] of 41**"), scrolled.text());
            ToolOutcome byLink = runner.run("browser.open", "{\"id\": \"3\", \"cursor\": 0}", () -> false);
            assertTrue(byLink.text().startsWith("[2] grid-planning"), byLink.text());

            ToolOutcome notFound = runner.run("browser.open", "{\"id\":\"" + server.url("/gone") + "\"}", () -> false);
            assertEquals(ToolOutcome.Status.FAILED, notFound.status());
            assertEquals("Error fetching URL `" + server.url("/gone") + "`: HTTP 404 Client Error", notFound.text());

            ToolOutcome invalid = runner.run("browser.search", "{\"topn\": 3}", () -> false);
            assertEquals(ToolOutcome.Status.INVALID_ARGUMENTS, invalid.status());
        }
    }

    @Test
    void anAgentRunBrowsesAndCites() throws Exception {
        try (MockWebServer server = TestSite.start(Map.of())) {
            String url = server.url("/article").toString();
            Browser browser = browser();
            Agent agent = Agent.builder()
                    .backend(ReplayBackend.of(
                            "<|channel|>analysis<|message|>Open the page.<|end|><|start|>assistant<|channel|>analysis"
                                    + " to=browser.open code<|message|>{\"id\": \"" + url + "\"}<|call|>",
                            "<|channel|>analysis to=browser.find code<|message|>{\"pattern\": \"moon\"}<|call|>",
                            "<|channel|>final<|message|>Tides follow the moon【0†L12-L13】.<|return|>"))
                    .tools(browser.tools())
                    .build();
            ToolScope scope = ToolScope.create();
            AgentResult result = agent.run("Why are tides predictable?", scope);
            assertTrue(result.completed(), result.stopReason().toString());
            assertEquals(
                    List.of("browser.open", "browser.find"),
                    result.toolCalls().stream().map(ToolCall::recipient).toList());
            assertTrue(
                    result.toolCalls().get(1).result().contains("# 【0†match at L12】"),
                    result.toolCalls().get(1).result());
            String domain = server.getHostName() + ":" + server.getPort();
            assertEquals(
                    "Tides follow the moon ([" + domain + "](" + url + ")) .",
                    browser.forScope(scope)
                            .normalizeCitations(result.finalText())
                            .text());
            assertTrue(browser.state().pages().isEmpty(), "the run's pages are in its scope, not in the browser");
            scope.close();
            // the page went back to the model as a message from browser.open, on the call's channel
            Message page = result.conversation().messages().stream()
                    .filter(m -> "browser.open".equals(m.author().name()))
                    .findFirst()
                    .orElseThrow();
            assertEquals("analysis", page.channel());
            assertTrue(page.text().startsWith("[0] Tidal Energy in Norway"), page.text());
        }
    }

    @Test
    void twoScopesHaveTheirOwnHistoryAndTheBrowserKeepsNone() throws Exception {
        try (MockWebServer server = TestSite.start(Map.of());
                ToolScope a = ToolScope.create();
                ToolScope b = ToolScope.create()) {
            Browser browser = browser();
            ToolRunner runner = new ToolRunner(
                    new ToolSet(browser.tools()), ApprovalPolicy.allowAll(), Duration.ofSeconds(30), 20_000);
            String url = server.url("/article").toString();
            assertEquals(
                    ToolOutcome.Status.OK,
                    runner.run("browser.open", "{\"id\":\"" + url + "\"}", a, () -> false)
                            .status());
            // b opened nothing: its cursor 0 does not exist, and a's page is not reachable from b
            ToolOutcome fromB = runner.run("browser.find", "{\"pattern\":\"moon\", \"cursor\": 0}", b, () -> false);
            assertEquals(ToolOutcome.Status.FAILED, fromB.status());
            assertEquals("No pages to access!", fromB.text());
            ToolOutcome fromA = runner.run("browser.find", "{\"pattern\":\"moon\", \"cursor\": 0}", a, () -> false);
            assertEquals(ToolOutcome.Status.OK, fromA.status(), fromA.text());
            assertEquals(2, browser.forScope(a).state().pages().size());
            assertTrue(browser.state().pages().isEmpty());
            a.close();
            ToolOutcome closed = runner.run("browser.find", "{\"pattern\":\"moon\"}", a, () -> false);
            assertEquals(ToolOutcome.Status.FAILED, closed.status(), "a closed scope's history is gone");
        }
    }
}
