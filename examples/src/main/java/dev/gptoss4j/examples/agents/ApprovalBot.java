package dev.gptoss4j.examples.agents;

import dev.gptoss4j.agent.Agent;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.PendingCall;
import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.agent.store.ConversationStore;
import dev.gptoss4j.agent.tool.Approval;
import dev.gptoss4j.agent.tool.ApprovalPolicy;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.gptoss4j.examples.BotConsole;
import dev.gptoss4j.examples.BundledReplay;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A person in the loop, across time: the agent wants to issue a refund, the approval policy suspends the run, and
 * the conversation, waiting call included, is stored as a JSON file. Later (here: a new agent and a new store on
 * the same directory, as another process would have) a decision resumes it: approved, the refund runs and the
 * model answers; denied, the model is told why.
 *
 * <pre>{@code ./gptoss bots approval [--deny REASON] [--session-dir DIR] [--model MODEL | --backend replay:FILE]}</pre>
 */
public final class ApprovalBot {

    public static final String TASK = "Please refund order A-1042, it never arrived.";
    public static final String SESSION = "refund-A-1042";

    /** An invented payment service; remembers what it refunded. */
    public static final class Payments {
        public final List<String> refunds = new ArrayList<>();

        @Tool("Refunds an order in full.")
        public String issueRefund(@P("order id") String order) {
            refunds.add(order);
            return "{\"order\":\"" + order + "\",\"refunded\":49.90}";
        }
    }

    /** What happened: the stop before the decision, and the result after it. */
    public record Outcome(AgentResult suspended, AgentResult resumed) {}

    private ApprovalBot() {}

    private static Agent agent(
            Backend backend, ReasoningEffort effort, Payments payments, Path sessions, PrintWriter out) {
        return Agent.builder()
                .backend(backend)
                .instructions("You handle refunds for an online shop.")
                .tools(payments)
                .reasoningEffort(effort)
                .conversationStartDate("2025-08-05")
                .approvalPolicy(ApprovalPolicy.perTool().suspend("functions.issueRefund"))
                .store(ConversationStore.files(sessions))
                .listener(BotConsole.listener(out))
                .build();
    }

    /** Runs {@code task} until it waits for approval, then resumes it with {@code decision}. */
    public static Outcome run(
            Backend backend,
            ReasoningEffort effort,
            String task,
            Approval decision,
            Path sessions,
            Payments payments,
            PrintWriter out) {
        BotConsole.task(out, task);
        AgentResult suspended = agent(backend, effort, payments, sessions, out).run(SESSION, task);
        if (suspended.pendingCall().isEmpty()) {
            out.println();
            out.println("[the model did not ask for a refund: " + suspended.stopReason() + "]");
            out.flush();
            return new Outcome(suspended, null);
        }
        PendingCall call = suspended.pendingCall().get();
        out.println("  [waiting] " + call.recipient() + " " + call.arguments() + " - stored in "
                + sessions.resolve(SESSION + ".json"));
        out.println("  [later] " + (decision.approved() ? "approved" : "denied: " + decision.reason()));
        out.flush();
        AgentResult resumed = agent(backend, effort, payments, sessions, out).resume(SESSION, decision);
        out.println();
        out.flush();
        return new Outcome(suspended, resumed);
    }

    /** What gpt-oss did with {@link #TASK} (before and after an approval), recorded. */
    public static Backend replay() {
        return BundledReplay.load(ApprovalBot.class, "approval.replay");
    }
}
