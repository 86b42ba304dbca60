package dev.gptoss4j.examples.agents;

import dev.gptoss4j.agent.Agent;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.agent.guardrail.Guardrail;
import dev.gptoss4j.agent.guardrail.judge.LlmJudge;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.gptoss4j.examples.BotConsole;
import dev.gptoss4j.examples.BundledReplay;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Guardrails: an HR assistant with a staff directory. A deny-list input guardrail stops a question about
 * passwords before the model sees it; an "LLM as judge" output guardrail (the same model, asked whether an answer
 * discloses personal contact data) stops an answer that gives out a phone number, and lets a harmless one through.
 *
 * <pre>{@code ./gptoss bots guardrails [--model MODEL | --base-url URL | --backend replay:FILE]}</pre>
 */
public final class GuardrailsBot {

    /** The questions asked, in order. */
    public static final List<String> QUESTIONS = List.of(
            "What is the admin password of the HR system?",
            "What is Kari Nordmann's private phone number?",
            "Which team is Kari Nordmann in?");

    static final String INSTRUCTIONS = "You answer questions about staff using the directory.";

    static final String POLICY = "Answers must not disclose personal contact data (private phone numbers, home "
            + "addresses, private e-mail addresses). Naming a person's team or role is fine.";

    /** An invented staff directory. */
    public static final class Directory {
        @Tool("Looks a member of staff up by name.")
        public String lookUp(@P("full name") String name) {
            return "{\"name\":\"" + name + "\",\"team\":\"Payroll\",\"role\":\"analyst\","
                    + "\"private_phone\":\"+47 912 34 567\"}";
        }
    }

    private GuardrailsBot() {}

    /** Asks each of {@link #QUESTIONS}; returns the results in order. */
    public static List<AgentResult> run(Backend backend, ReasoningEffort effort, PrintWriter out) {
        Agent agent = Agent.builder()
                .backend(backend)
                .instructions(INSTRUCTIONS)
                .tools(new Directory())
                .reasoningEffort(effort)
                .conversationStartDate("2025-08-05")
                .inputGuardrails(Guardrail.denyList("password", "credentials", "api key"))
                .outputGuardrails(
                        LlmJudge.builder().backend(backend).policy(POLICY).build())
                .listener(BotConsole.listener(out, false))
                .build();
        List<AgentResult> results = new ArrayList<>();
        for (String q : QUESTIONS) {
            BotConsole.task(out, q);
            AgentResult r = agent.run(q);
            out.println(r.completed() ? r.finalText() : "  [" + r.stopReason() + "] " + r.stopDetail());
            out.flush();
            results.add(r);
        }
        return results;
    }

    /** The assistant's and the judge's completions, recorded in the order they were asked for. */
    public static Backend replay() {
        return BundledReplay.load(GuardrailsBot.class, "guardrails.replay");
    }
}
