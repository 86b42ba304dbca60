package dev.gptoss4j.examples.research;

import dev.gptoss4j.agent.Agent;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.agent.tool.ToolScope;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.gptoss4j.examples.BotConsole;
import dev.gptoss4j.examples.BundledReplay;
import dev.gptoss4j.tools.browser.Browser;
import dev.gptoss4j.tools.browser.Citation;
import dev.gptoss4j.tools.browser.CitedText;
import dev.gptoss4j.tools.browser.HttpPageFetcher;
import dev.gptoss4j.tools.browser.NetworkPolicy;
import dev.gptoss4j.tools.browser.SearchBackend;
import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The built-in {@code browser} tool: gpt-oss searches, opens a result, reads its numbered lines and answers with
 * citations ({@code 【cursor†Lx-Ly】}), which are turned into links to the pages it read.
 *
 * <pre>{@code ./gptoss bots research [--model MODEL | --base-url URL | --backend replay:FILE] [--search-url URL]}</pre>
 */
public final class ResearchBot {

    public static final String TASK = "How many parameters does gpt-oss-20b have, how many of them are active per "
            + "token, and under which license are its weights released? Cite your sources.";

    static final String INSTRUCTIONS = "Answer from the pages you read, and cite them.";

    private ResearchBot() {}

    /**
     * Runs {@code task} with a browser that searches through {@code search} and fetches pages over HTTP.
     *
     * @param policy which addresses pages may come from (public internet only, plus what it allows)
     */
    public static ResearchRun run(
            Backend backend,
            ReasoningEffort effort,
            String task,
            SearchBackend search,
            NetworkPolicy policy,
            PrintWriter out) {
        Browser browser = Browser.builder()
                .searchBackend(search)
                .pageFetcher(HttpPageFetcher.builder().networkPolicy(policy).build())
                .build();
        Agent agent = Agent.builder()
                .backend(backend)
                .instructions(INSTRUCTIONS)
                .tools(browser.tools())
                .reasoningEffort(effort)
                .listener(BotConsole.listener(out, false)) // the answer is shown once its citations are links
                .build();
        BotConsole.task(out, task);
        AgentResult result;
        CitedText answer;
        // the scope keeps the run's page history until the citations in the answer are resolved against it
        try (ToolScope scope = ToolScope.create()) {
            result = agent.run(task, scope);
            answer = result.finalText() == null
                    ? new CitedText("", java.util.List.of())
                    : browser.forScope(scope).normalizeCitations(result.finalText());
        }
        if (result.finalText() != null) {
            out.println(answer.text().strip());
            Set<String> sources = new LinkedHashSet<>();
            for (Citation c : answer.citations()) sources.add(c.url());
            if (!sources.isEmpty()) {
                out.println("sources:");
                sources.forEach(url -> out.println("  " + url));
            }
        }
        out.flush();
        return new ResearchRun(result, answer);
    }

    /** What gpt-oss did with {@link #TASK} on the {@link DemoWeb}, recorded. */
    public static Backend replay() {
        return BundledReplay.load(ResearchBot.class, "research.replay");
    }
}
