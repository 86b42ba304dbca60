package dev.gptoss4j.agent;

import static org.junit.jupiter.api.Assertions.*;

import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.agent.backend.Completion;
import dev.gptoss4j.agent.backend.CompletionListener;
import dev.gptoss4j.agent.backend.CompletionRequest;
import dev.gptoss4j.agent.backend.ReplayBackend;
import dev.gptoss4j.agent.context.ContextPolicy;
import dev.gptoss4j.agent.context.PromptTokens;
import dev.gptoss4j.engine.harmony.Conversation;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.Role;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** A run whose tool output outgrows the context window trims what the model is shown, or stops cleanly. */
class ContextManagementTest {

    /** A browser stand-in whose pages are long. */
    public static class Pages {
        final int lines;

        Pages(int lines) {
            this.lines = lines;
        }

        @Tool("Opens a page.")
        public String open(@P("page name") String page) {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i <= lines; i++)
                sb.append("Line ")
                        .append(i)
                        .append(" of ")
                        .append(page)
                        .append(": rainfall was recorded at station ")
                        .append(i * 7 % 13)
                        .append(".\n");
            return sb.toString();
        }
    }

    static String open(String page) {
        return "<|channel|>analysis<|message|>Read " + page + " next.<|end|>"
                + "<|start|>assistant<|channel|>commentary to=functions.open <|constrain|>json"
                + "<|message|>{\"page\":\"" + page + "\"}<|call|>";
    }

    static final String ANSWER = "<|channel|>final<|message|>Rainfall was recorded at every station.<|return|>";

    /** Records each request (what the model was shown and its token limit) and the window it reports. */
    static class Watching implements Backend {
        final Backend inner;
        final List<CompletionRequest> requests = new ArrayList<>();

        Watching(Backend inner) {
            this.inner = inner;
        }

        @Override
        public Completion complete(CompletionRequest request, CompletionListener listener) {
            requests.add(request);
            return inner.complete(request, listener);
        }

        @Override
        public OptionalInt contextWindow() {
            return inner.contextWindow();
        }

        @Override
        public String describe() {
            return inner.describe();
        }
    }

    private static Agent.Builder agent(Backend backend, int pageLines) {
        return Agent.builder().backend(backend).tools(new Pages(pageLines)).conversationStartDate("2025-08-05");
    }

    @Test
    void aRunThatWouldOverflowTrimsOldToolOutputAndCompletes() {
        int window = 2048;
        ReplayBackend replay = ReplayBackend.of(open("alpha"), open("beta"), open("gamma"), ANSWER)
                .withContextWindow(window);
        Watching backend = new Watching(replay);
        List<AgentEvent> events = new ArrayList<>();
        AgentResult r = agent(backend, 50).listener(events::add).build().run("How was the rainfall?");

        assertEquals(StopReason.COMPLETED, r.stopReason());
        assertEquals("Rainfall was recorded at every station.", r.finalText());
        PromptTokens tokens = new PromptTokens();
        // untrimmed, the last prompt would not have fitted: three pages of about 700 tokens each
        assertTrue(tokens.count(r.conversation()) > window, "the test overflows: " + tokens.count(r.conversation()));

        List<AgentEvent.ContextTrimmed> trims = events.stream()
                .filter(e -> e instanceof AgentEvent.ContextTrimmed)
                .map(e -> (AgentEvent.ContextTrimmed) e)
                .toList();
        assertFalse(trims.isEmpty());
        assertEquals(window, trims.getFirst().window());

        CompletionRequest last = backend.requests.getLast();
        int prompt = tokens.count(last.conversation());
        assertTrue(prompt <= window - window / 4, "the prompt keeps a quarter of the window for the reply: " + prompt);
        assertTrue(last.maxTokens() <= window - prompt, "the call's limit fits what is left: " + last.maxTokens());
        List<Message> shownTools = last.conversation().messages().stream()
                .filter(m -> m.role() == Role.TOOL)
                .toList();
        assertEquals(3, shownTools.size(), "tool results are shortened, never dropped");
        assertTrue(
                shownTools.get(0).text().contains("[tool output shortened"),
                shownTools.get(0).text());
        assertEquals(new Pages(50).open("gamma"), shownTools.get(2).text(), "the newest result is whole");
        assertFalse(shownTools.get(2).text().contains("shortened"));

        // the run's own record keeps every page whole
        List<Message> kept = r.conversation().messages().stream()
                .filter(m -> m.role() == Role.TOOL)
                .toList();
        assertTrue(kept.stream().noneMatch(m -> m.text().contains("shortened")));
        assertEquals(new Pages(50).open("alpha"), kept.getFirst().text());
    }

    @Test
    void analysisGoesBeforeToolOutput() {
        // a window where dropping the older analysis alone is enough
        PromptTokens tokens = new PromptTokens();
        Conversation c = Conversation.of(
                Message.user("Go"),
                Message.assistant("analysis", "A long thought. ".repeat(60)),
                Message.tool("functions.open", "short page"),
                Message.assistant("analysis", "Newest thought."));
        int budget = tokens.count(c) - 100;
        ContextPolicy.Fitted f = ContextPolicy.trimming().fit(c, budget, tokens);
        assertNotNull(f);
        assertEquals(3, f.conversation().size());
        assertEquals("Newest thought.", f.conversation().messages().getLast().text());
        assertEquals("short page", f.conversation().messages().get(1).text());
        assertTrue(f.trimmed().startsWith("dropped 1 analysis message"), f.trimmed());
    }

    @Test
    void aResultTooLargeForTheWindowStopsWithContextFullAndTheConversationIntact() {
        ReplayBackend replay = ReplayBackend.of(open("huge"), ANSWER).withContextWindow(2048);
        AgentResult r = agent(replay, 200).build().run("How was the rainfall?");
        assertEquals(StopReason.CONTEXT_FULL, r.stopReason());
        assertNull(r.finalText());
        assertEquals(1, replay.remaining(), "the model was not asked with a prompt that cannot fit");
        Message last = r.conversation().messages().getLast();
        assertEquals(Role.TOOL, last.role());
        assertEquals(new Pages(200).open("huge"), last.text(), "the newest result is kept whole, never cut");
    }

    @Test
    void withoutTrimmingTheRunStopsAtTheFirstOverflow() {
        ReplayBackend replay = ReplayBackend.of(open("alpha"), open("beta"), open("gamma"), ANSWER)
                .withContextWindow(2048);
        AgentResult r =
                agent(replay, 40).contextPolicy(ContextPolicy.none()).build().run("How was the rainfall?");
        assertEquals(StopReason.CONTEXT_FULL, r.stopReason());
        assertTrue(r.toolCalls().size() >= 2, "it got some way first");
    }

    @Test
    void aBackendReportingOverflowStopsTheRunInsteadOfFailingIt() {
        // a window the agent does not know about: the backend's own check is the last word
        ReplayBackend real = ReplayBackend.of(open("alpha"), open("beta"), open("gamma"), ANSWER)
                .withContextWindow(1200);
        Backend unknownWindow = new Watching(real) {
            @Override
            public OptionalInt contextWindow() {
                return OptionalInt.empty();
            }
        };
        AgentResult r = agent(unknownWindow, 40).build().run("How was the rainfall?");
        assertEquals(StopReason.CONTEXT_FULL, r.stopReason());
        assertEquals(Role.TOOL, r.conversation().messages().getLast().role(), "only complete messages");
    }

    @Test
    void theCallLimitNeverExceedsTheRoomLeft() {
        Watching backend = new Watching(ReplayBackend.of(ANSWER).withContextWindow(4096));
        agent(backend, 1).maxTokensPerCall(8192).build().run("Hi");
        CompletionRequest request = backend.requests.getFirst();
        int prompt = new PromptTokens().count(request.conversation());
        assertEquals(4096 - prompt, request.maxTokens(), "8192 per call, cut to the window's rest");
    }
}
