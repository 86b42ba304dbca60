package dev.gptoss4j.agent;

import dev.gptoss4j.agent.tool.ToolOutcome;
import java.time.Duration;

/**
 * One tool call of a run, with what the model got back.
 *
 * @param recipient the tool addressed ({@code functions.get_weather}, {@code python})
 * @param arguments the arguments exactly as the model wrote them
 * @param result    the text handed back to the model (an explanation of the error unless {@link #ok()})
 * @param status    how the call ended
 * @param duration  time the call took
 */
public record ToolCall(
        String recipient, String arguments, String result, ToolOutcome.Status status, Duration duration) {

    public boolean ok() {
        return status == ToolOutcome.Status.OK;
    }
}
