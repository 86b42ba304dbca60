package dev.gptoss4j.agent.backend;

/**
 * The model's output broke the harmony format (a missing header, an unknown role, text after the stop token...).
 * Never fatal to a run: the agent tells the model what was wrong and asks again.
 */
public class MalformedCompletionException extends RuntimeException {

    private final String output;

    /**
     * @param problem what was wrong, in words the model can act on
     * @param output  the offending output as text, special tokens spelled out
     */
    public MalformedCompletionException(String problem, String output) {
        super(problem);
        this.output = output == null ? "" : output;
    }

    public String output() {
        return output;
    }
}
