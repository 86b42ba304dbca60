package dev.gptoss4j.serve;

import dev.gptoss4j.agent.backend.CompletionRequest;
import dev.gptoss4j.engine.harmony.DeveloperContent;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.Role;

/** Completions the test backends reply with, chosen as a model would: answer, or call the offered tool. */
final class Scripts {

    static final String ANSWER = "<|channel|>analysis<|message|>The user greets.<|end|>"
            + "<|start|>assistant<|channel|>final<|message|>Hello there!<|return|>";

    static final String CALL = "<|channel|>analysis<|message|>Need the weather.<|end|>"
            + "<|start|>assistant<|channel|>commentary to=functions.get_weather <|constrain|>json"
            + "<|message|>{\"city\":\"Oslo\"}<|call|>";

    static final String AFTER_TOOL = "<|channel|>final<|message|>It is sunny in Oslo.<|return|>";

    private Scripts() {}

    /** Calls get_weather when it is offered and not yet answered; answers otherwise. */
    static String weather(CompletionRequest request) {
        var messages = request.conversation().messages();
        Message last = messages.getLast();
        if (last.role() == Role.TOOL) return AFTER_TOOL;
        boolean offered = messages.stream()
                .flatMap(m -> m.content().stream())
                .anyMatch(c ->
                        c instanceof DeveloperContent d && !d.functionTools().isEmpty());
        return offered ? CALL : ANSWER;
    }
}
