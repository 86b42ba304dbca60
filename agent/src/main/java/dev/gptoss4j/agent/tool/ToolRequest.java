package dev.gptoss4j.agent.tool;

/**
 * A call the model asked for, before it runs: what an {@link ApprovalPolicy} sees.
 *
 * @param recipient the full recipient, {@code functions.get_weather}
 * @param arguments the arguments exactly as the model wrote them
 * @param tool      the tool that would run
 */
public record ToolRequest(String recipient, String arguments, Tool tool) {}
