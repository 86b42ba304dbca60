package dev.gptoss4j.examples.support;

import dev.gptoss4j.agent.Agent;
import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.gptoss4j.examples.BotConsole;
import dev.gptoss4j.examples.BundledReplay;
import java.io.PrintWriter;

/**
 * Structured output: the bot reads a customer's message, looks the order up with a function tool, and answers
 * with a {@link TicketTriage} record through {@code agent.run(ticket, TicketTriage.class)}.
 *
 * <pre>{@code ./gptoss bots support [--model MODEL | --base-url URL | --backend replay:FILE] [--task TICKET]}</pre>
 */
public final class SupportBot {

    public static final String TICKET = "Hi, I ordered a blender two weeks ago (order A-1042) and it still has not "
            + "arrived. The tracking page has not changed for days. I need it by Saturday for my daughter's party; "
            + "if it cannot arrive by then, I want my money back.";

    static final String INSTRUCTIONS = "You triage customer support tickets for an online shop. Look up every "
            + "order the customer mentions before you decide. Refunds always need a human.";

    /** The date the bundled conversation took place, so the fake tracking dates read as they did then. */
    static final String DATE = "2025-08-05";

    private SupportBot() {}

    /** Triages {@code ticket}; tool calls go to {@code out}, the typed result is returned. */
    public static TicketTriage run(Backend backend, ReasoningEffort effort, String ticket, PrintWriter out) {
        Agent agent = Agent.builder()
                .backend(backend)
                .instructions(INSTRUCTIONS)
                .tools(new SupportTools(new FakeOrderBook()))
                .reasoningEffort(effort)
                .conversationStartDate(DATE)
                .listener(BotConsole.listener(out, false)) // the JSON answer is shown parsed, below
                .build();
        BotConsole.task(out, ticket);
        TicketTriage triage = agent.run(ticket, TicketTriage.class);
        out.println("category:    " + triage.category());
        out.println("priority:    " + triage.priority());
        out.println("needs human: " + triage.needsHuman());
        out.println("summary:     " + triage.summary());
        out.flush();
        return triage;
    }

    /** What gpt-oss did with {@link #TICKET}, recorded. */
    public static Backend replay() {
        return BundledReplay.load(SupportBot.class, "support.replay");
    }
}
