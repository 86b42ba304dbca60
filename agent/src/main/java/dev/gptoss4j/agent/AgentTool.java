package dev.gptoss4j.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.agent.tool.Tool;
import dev.gptoss4j.agent.tool.ToolArguments;
import dev.gptoss4j.agent.tool.ToolResult;
import java.util.Objects;

/**
 * An agent used as a tool by another: the caller's model writes a task, the sub-agent runs a conversation of its
 * own about it (its instructions, tools and backend), and its final answer is the tool result. Unlike a
 * {@link Handoff}, the caller stays in charge and sees only the answer. A sub-run that stops without an answer is
 * an error result the caller's model reads ("stopped: MAX_STEPS"), not a failure of the caller's run.
 */
public final class AgentTool implements Tool {

    private final Agent agent;
    private final String name;
    private final String description;

    private AgentTool(Agent agent, String name, String description) {
        this.agent = Objects.requireNonNull(agent, "agent");
        this.name = Objects.requireNonNull(name, "name");
        this.description = Objects.requireNonNull(description, "description");
    }

    /** {@code agent} as {@code functions.NAME}, taking {@code {"task": "..."}}. */
    public static AgentTool of(Agent agent, String name, String description) {
        return new AgentTool(agent, name, description);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public JsonNode parameters() {
        ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "object");
        schema.putObject("properties")
                .putObject("task")
                .put("type", "string")
                .put("description", "What the " + name + " agent should do, with everything it needs to know.");
        schema.putArray("required").add("task");
        return schema;
    }

    @Override
    public ToolResult execute(ToolArguments arguments) {
        AgentResult r = agent.run(arguments.json().get("task").asText());
        if (r.completed()) return ToolResult.of(r.finalText());
        return ToolResult.error("The " + name + " agent stopped without an answer: " + r.stopReason()
                + (r.stopDetail() == null ? "" : " (" + r.stopDetail() + ")"));
    }
}
