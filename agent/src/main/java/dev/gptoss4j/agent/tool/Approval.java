package dev.gptoss4j.agent.tool;

/**
 * The verdict on one tool call.
 *
 * @param approved whether the call may run
 * @param reason   why it was denied, told to the model (may be empty)
 */
public record Approval(boolean approved, String reason) {

    private static final Approval ALLOW = new Approval(true, "");

    public Approval {
        if (reason == null) reason = "";
    }

    public static Approval allow() {
        return ALLOW;
    }

    public static Approval deny(String reason) {
        return new Approval(false, reason);
    }
}
