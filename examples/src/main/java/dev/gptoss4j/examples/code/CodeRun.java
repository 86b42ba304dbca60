package dev.gptoss4j.examples.code;

import dev.gptoss4j.agent.AgentResult;
import java.util.Map;

/**
 * What a code-interpreter run produced.
 *
 * @param result the agent's result (answer, tool calls, conversation)
 * @param files  every file the model's code left in {@code /mnt/data}, by absolute path
 */
public record CodeRun(AgentResult result, Map<String, byte[]> files) {

    public CodeRun {
        files = Map.copyOf(files);
    }
}
