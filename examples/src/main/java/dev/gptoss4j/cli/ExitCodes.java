package dev.gptoss4j.cli;

import dev.gptoss4j.agent.StopReason;

/**
 * The exit codes of the commands that run the agent ({@code gptoss run}), one per kind of stop, so a script can
 * tell an answer from a limit from a broken setup. 1 and 2 keep the meaning they have for every command (an error,
 * a mistake in the command line); the stop reasons get codes of their own above them.
 *
 * <table>
 *   <tr><th>code</th><th>meaning</th></tr>
 *   <tr><td>0</td><td>{@code COMPLETED}: the model answered</td></tr>
 *   <tr><td>1</td><td>an error: the backend failed, a file could not be read (one line on stderr)</td></tr>
 *   <tr><td>2</td><td>a mistake in the command line</td></tr>
 *   <tr><td>3</td><td>a limit: {@code MAX_STEPS}, {@code MAX_TOKENS}, {@code CONTEXT_FULL}</td></tr>
 *   <tr><td>4</td><td>{@code TOO_MANY_ERRORS}: the model's output stayed unusable past the retries</td></tr>
 *   <tr><td>5</td><td>{@code TOOL_FAILURES}: tools kept timing out or crashing</td></tr>
 *   <tr><td>6</td><td>{@code BLOCKED}: a guardrail stopped the run</td></tr>
 *   <tr><td>7</td><td>{@code SUSPENDED}: a tool call awaits approval; the session can be resumed</td></tr>
 *   <tr><td>130</td><td>{@code CANCELLED} (as a shell reports Ctrl-C)</td></tr>
 * </table>
 */
final class ExitCodes {

    static final int ERROR = 1;
    static final int USAGE = 2;

    private ExitCodes() {}

    /** The exit code of a run that stopped for {@code reason}; every stop reason has one (the switch is total). */
    static int of(StopReason reason) {
        return switch (reason) {
            case COMPLETED -> 0;
            case MAX_STEPS, MAX_TOKENS, CONTEXT_FULL -> 3;
            case TOO_MANY_ERRORS -> 4;
            case TOOL_FAILURES -> 5;
            case BLOCKED -> 6;
            case SUSPENDED -> 7;
            case CANCELLED -> 130;
        };
    }
}
