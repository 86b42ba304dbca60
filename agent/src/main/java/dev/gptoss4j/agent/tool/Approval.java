package dev.gptoss4j.agent.tool;

/**
 * The verdict on one tool call.
 *
 * @param approved  whether the call may run
 * @param reason    why it was denied or put off, told to the model when denied (may be empty)
 * @param suspended whether the decision is put off: the run stops with {@code StopReason.SUSPENDED}, the call
 *                  waits in the conversation, and a later {@code Agent.resume} runs or refuses it (a person
 *                  approves tomorrow, a ticket is answered)
 */
public record Approval(boolean approved, String reason, boolean suspended) {

    private static final Approval ALLOW = new Approval(true, "", false);

    public Approval {
        if (reason == null) reason = "";
        if (approved && suspended) throw new IllegalArgumentException("a call cannot be approved and suspended");
    }

    public Approval(boolean approved, String reason) {
        this(approved, reason, false);
    }

    public static Approval allow() {
        return ALLOW;
    }

    public static Approval deny(String reason) {
        return new Approval(false, reason, false);
    }

    /** Puts the decision off until {@code Agent.resume} brings one. */
    public static Approval suspend(String reason) {
        return new Approval(false, reason, true);
    }
}
