package dev.gptoss4j.examples.research;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.agent.ToolCall;
import dev.gptoss4j.cli.CliRun;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.gptoss4j.examples.Cli;
import dev.gptoss4j.tools.browser.NetworkPolicy;
import dev.gptoss4j.tools.browser.SearxngSearchBackend;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The research bot against a loopback web: a SearXNG-style JSON search API and HTML pages on a MockWebServer. */
class ResearchBotTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private MockWebServer web;

    @BeforeEach
    void start() throws Exception {
        web = new MockWebServer();
        web.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getRequestUrl().encodedPath();
                if (path.equals("/search")) {
                    ObjectNode root = JSON.createObjectNode();
                    var results = root.putArray("results");
                    results.addObject()
                            .put("title", "gpt-oss models at a glance")
                            .put("url", web.url("/models").toString())
                            .put("content", "Sizes, context length and license of gpt-oss.");
                    results.addObject()
                            .put("title", "MXFP4")
                            .put("url", web.url("/mxfp4").toString())
                            .put("content", "The 4-bit format of the experts.");
                    return new MockResponse()
                            .setHeader("Content-Type", "application/json")
                            .setBody(root.toString());
                }
                if (path.equals("/models")) {
                    return new MockResponse()
                            .setHeader("Content-Type", "text/html; charset=utf-8")
                            .setBody(new Buffer().write(DemoWeb.page("gpt-oss-models.html")));
                }
                return new MockResponse().setResponseCode(404);
            }
        });
        web.start();
    }

    @AfterEach
    void stop() throws Exception {
        web.shutdown();
    }

    private ResearchRun run(NetworkPolicy policy, StringWriter out) {
        return ResearchBot.run(
                ResearchBot.replay(),
                ReasoningEffort.LOW,
                ResearchBot.TASK,
                new SearxngSearchBackend(web.url("/search").toString(), null, Duration.ofSeconds(10)),
                policy,
                new PrintWriter(out));
    }

    @Test
    void searchesOpensTheFirstResultAndCitesItAsALink() throws Exception {
        StringWriter out = new StringWriter();
        ResearchRun run = run(NetworkPolicy.allowing("127.0.0.0/8", "::1/128"), out);
        assertTrue(run.result().completed());

        // the model's query reached the search API, then the result it chose was fetched
        RecordedRequest search = web.takeRequest(1, TimeUnit.SECONDS);
        assertEquals("/search", search.getRequestUrl().encodedPath());
        assertEquals(
                "gpt-oss-20b parameters active per token license",
                search.getRequestUrl().queryParameter("q"));
        assertEquals("json", search.getRequestUrl().queryParameter("format"));
        assertEquals("/models", web.takeRequest(1, TimeUnit.SECONDS).getPath());

        // the page, as numbered lines, went back to the model: the cited lines hold the facts
        List<ToolCall> calls = run.result().toolCalls();
        assertEquals(
                List.of("browser.search", "browser.open"),
                calls.stream().map(ToolCall::recipient).toList());
        assertTrue(
                calls.get(0).result().contains("【0†gpt-oss models at a glance†"),
                calls.get(0).result());
        String page =
                Cli.toolMessages(run.result().conversation(), "browser.open").getFirst();
        assertTrue(
                page.contains("L12:   * gpt-oss-20b: 21 billion parameters in total, 3.6 billion active per token"),
                page);
        assertTrue(page.contains("L26: The weights are released under the Apache 2.0 license"), page);

        // 【1†L12-L13】 points at cursor 1, the opened page: it became a link to it
        String url = web.url("/models").toString();
        String domain = web.url("/").host() + ":" + web.getPort();
        assertEquals(
                "gpt-oss-20b has 21 billion parameters in total, of which 3.6 billion are active per token "
                        + "([" + domain + "](" + url + ")) . Its weights are released under the Apache 2.0 license "
                        + "([" + domain + "](" + url + ")) .",
                run.answer().text());
        assertEquals(2, run.answer().citations().size());
        assertEquals(12, run.answer().citations().get(0).lineStart());
        assertEquals(13, run.answer().citations().get(0).lineEnd());
        assertTrue(out.toString().contains("sources:\n  " + url + "\n"), out.toString());
    }

    @Test
    void withoutTheLoopbackAllowListThePageIsRefusedBeforeAnyConnection() throws Exception {
        StringWriter out = new StringWriter();
        ResearchRun run = run(NetworkPolicy.publicInternetOnly(), out);
        ToolCall open = run.result().toolCalls().get(1);
        assertFalse(open.ok());
        assertTrue(open.result().contains("loopback"), open.result());
        // the search API is the operator's choice and was reached; the model's page was not
        assertEquals(
                "/search", web.takeRequest(1, TimeUnit.SECONDS).getRequestUrl().encodedPath());
        assertNull(web.takeRequest(200, TimeUnit.MILLISECONDS));
        // the recorded answer cites a cursor that never opened: it is left as written, not linked to anything
        assertTrue(run.answer().citations().isEmpty());
        assertTrue(run.answer().text().contains("【1†L12-L13】"), run.answer().text());
    }

    @Test
    void cliUsesTheSearchUrlAndAllowListItIsGiven() {
        CliRun.Outcome o = CliRun.run(
                "bots", "research", "--search-url", web.url("/search").toString(), "--allow", "127.0.0.0/8,::1/128");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("sources:\n  " + web.url("/models") + "\n"), o.out());
        assertFalse(o.out().contains("offline demo web"), o.out());
    }

    @Test
    void cliSearchesTheOfflineDemoWebByDefault() {
        CliRun.Outcome o = CliRun.run("bots", "research");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().startsWith("(searching the offline demo web at http://127.0.0.1:"), o.out());
        assertTrue(o.out().matches("(?s).*sources:\n  http://127\\.0\\.0\\.1:\\d+/gpt-oss-models\\.html\n"), o.out());
    }
}
