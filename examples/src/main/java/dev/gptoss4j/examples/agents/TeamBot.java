package dev.gptoss4j.examples.agents;

import dev.gptoss4j.agent.Agent;
import dev.gptoss4j.agent.AgentEvent;
import dev.gptoss4j.agent.AgentListener;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.Handoff;
import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.gptoss4j.examples.BotConsole;
import dev.gptoss4j.examples.BundledReplay;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import java.io.PrintWriter;

/**
 * Several agents on one backend: a triage agent hands the customer to a billing agent
 * ({@code functions.transfer_to_billing}), which asks a policy agent, used as a tool
 * ({@code functions.ask_policy}), before it answers. Each agent has its own instructions and tools; the
 * conversation goes along on a handoff, while the policy agent sees only the question it is asked.
 *
 * <pre>{@code ./gptoss bots team [--model MODEL | --base-url URL | --backend replay:FILE] [--trace FILE]}</pre>
 */
public final class TeamBot {

    public static final String TASK =
            "I was charged twice for order A-1042 last week. Can I get one of the " + "payments back?";

    /** An invented payment ledger. */
    public static final class Ledger {
        @Tool("Lists the payments of an order.")
        public String payments(@P("order id") String order) {
            return "[{\"order\":\"" + order + "\",\"amount\":49.90,\"date\":\"2025-07-29\"}," + "{\"order\":\"" + order
                    + "\",\"amount\":49.90,\"date\":\"2025-07-29\"}]";
        }
    }

    private TeamBot() {}

    /** Runs {@link #TASK}-like requests through the team; {@code tracing} gets every event (spans), or NONE. */
    public static AgentResult run(
            Backend backend, ReasoningEffort effort, String task, PrintWriter out, AgentListener tracing) {
        // the policy agent runs its own conversation (on the tool's thread); with the same tracing listener its run
        // span is a child of the calling run's, in one trace
        Agent policy = Agent.builder()
                .name("policy")
                .backend(backend)
                .reasoningEffort(effort)
                .conversationStartDate("2025-08-05")
                .listener(tracing)
                .instructions("You know the shop's refund policy: duplicate charges are refunded in full within "
                        + "5 working days; other refunds within 30 days of delivery. Answer in one sentence.")
                .build();
        Agent billing = Agent.builder()
                .name("billing")
                .backend(backend)
                .reasoningEffort(effort)
                .conversationStartDate("2025-08-05")
                .instructions("You handle payments. Check the ledger, and ask the policy agent before you promise "
                        + "anything.")
                .tools(new Ledger(), policy.asTool("ask_policy", "Asks the refund policy agent a question."))
                .build();
        AgentListener handoffs = event -> {
            if (event instanceof AgentEvent.Handoff h) {
                out.println("  [handoff] " + h.from() + " -> " + h.to());
                out.flush();
            }
        };
        // a run's events go to the listeners of the agent it started with, handoffs or not
        Agent triage = Agent.builder()
                .name("triage")
                .backend(backend)
                .reasoningEffort(effort)
                .conversationStartDate("2025-08-05")
                .instructions("You greet customers and pass them to the right team.")
                .handoffs(Handoff.to(billing, "Payments, charges, invoices and refunds."))
                .listener(BotConsole.listener(out))
                .listener(handoffs)
                .listener(tracing)
                .build();
        BotConsole.task(out, task);
        AgentResult result = triage.run(task);
        out.println();
        out.flush();
        return result;
    }

    /** What the three agents did with {@link #TASK}, recorded in the order their completions were asked for. */
    public static Backend replay() {
        return BundledReplay.load(TeamBot.class, "team.replay");
    }
}
