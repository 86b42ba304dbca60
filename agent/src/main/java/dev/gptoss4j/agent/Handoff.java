package dev.gptoss4j.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.gptoss4j.agent.tool.Tool;
import dev.gptoss4j.agent.tool.ToolArguments;
import dev.gptoss4j.agent.tool.ToolResult;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Hands the conversation to another agent, offered to gpt-oss as the function tool
 * {@code functions.transfer_to_NAME}, as it sees any function. When the model calls it, the receiving agent takes
 * over the same run: its instructions and tools replace the sender's in the developer message, its backend answers
 * from then on, and the conversation so far goes with it. The target is looked up lazily, so two agents may hand
 * off to each other.
 *
 * <pre>{@code
 * Agent billing = Agent.builder().name("billing").backend(b).instructions("You handle invoices.").build();
 * Agent triage = Agent.builder().name("triage").backend(b)
 *     .handoffs(Handoff.to(billing, "Questions about invoices and payments."))
 *     .build();
 * }</pre>
 */
public final class Handoff implements Tool {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,48}");

    private final String name;
    private final String description;
    private final Supplier<Agent> target;

    private Handoff(String name, String description, Supplier<Agent> target) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a handoff target's name must be 1-48 letters, digits or '_' (it "
                    + "becomes functions.transfer_to_NAME), got '" + name + "'");
        }
        this.name = name;
        this.description = Objects.requireNonNull(description, "description");
        this.target = target;
    }

    /** A handoff to {@code agent} (named with {@code Agent.Builder.name}), described for the model as {@code when}. */
    public static Handoff to(Agent agent, String when) {
        Objects.requireNonNull(agent, "agent");
        return new Handoff(agent.name(), when, () -> agent);
    }

    /** A handoff to an agent built later (a cycle: two agents that hand off to each other). */
    public static Handoff to(String name, String when, Supplier<Agent> agent) {
        return new Handoff(name, when, Objects.requireNonNull(agent, "agent"));
    }

    /** The agent that takes over. */
    public Agent target() {
        Agent a = target.get();
        if (a == null) throw new IllegalStateException("the handoff target " + name + " was not built");
        return a;
    }

    @Override
    public String name() {
        return "transfer_to_" + name;
    }

    @Override
    public String description() {
        return "Transfer the conversation to the " + name + " agent. " + description;
    }

    @Override
    public JsonNode parameters() {
        return JsonNodeFactory.instance
                .objectNode()
                .put("type", "object")
                .set("properties", JsonNodeFactory.instance.objectNode());
    }

    @Override
    public ToolResult execute(ToolArguments arguments) {
        return ToolResult.of("Transferred to the " + name + " agent, which continues the conversation now.");
    }
}
