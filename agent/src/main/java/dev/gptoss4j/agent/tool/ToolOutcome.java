package dev.gptoss4j.agent.tool;

import java.time.Duration;

/**
 * How one tool call ended, and the text the model gets back for it.
 *
 * @param status   what happened
 * @param text     the result text as the model sees it (an error explanation unless {@link Status#OK})
 * @param duration time spent, approval and validation included
 */
public record ToolOutcome(Status status, String text, Duration duration) {

    public enum Status {
        /** The tool ran and returned a result. */
        OK,
        /** The tool ran and reported an error or threw: an ordinary result the model reads and goes on from. */
        FAILED,
        /** The arguments were not JSON or did not match the tool's schema; the tool did not run. */
        INVALID_ARGUMENTS,
        /** The tool did not finish within the timeout (the agent's, or the tool's own). */
        TIMED_OUT,
        /** The tool's machinery failed (its sandbox crashed), not the work asked of it. */
        CRASHED,
        /** The approval policy refused the call. */
        DENIED,
        /** The approval policy put the decision off: the call did not run and waits for {@code Agent.resume}. */
        AWAITING_APPROVAL,
        /** No tool has that recipient. */
        UNKNOWN_TOOL,
        /** The run was cancelled while the tool was running. */
        CANCELLED;

        /** The model addressed a tool wrongly: counted with malformed output against the agent's retries. */
        public boolean modelMistake() {
            return this == INVALID_ARGUMENTS || this == UNKNOWN_TOOL;
        }

        /** The tool could not do its work at all: counted against the agent's budget of tool failures in a row. */
        public boolean infrastructureFailure() {
            return this == TIMED_OUT || this == CRASHED;
        }
    }

    public boolean ok() {
        return status == Status.OK;
    }
}
