package dev.gptoss4j.cli;

import picocli.CommandLine;

/**
 * Turns an exception escaping a command into one line on stderr (and a stack trace only with
 * {@code --verbose} or {@code GPTOSS_VERBOSE=1}): users get the message, not the JVM's internals.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        boolean verbose = "1".equals(System.getenv("GPTOSS_VERBOSE"))
                || parsed.originalArgs().contains("--verbose");
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        cli.getErr().println("gptoss " + cli.getCommandName() + ": " + message);
        if (verbose) {
            e.printStackTrace(cli.getErr());
        } else {
            cli.getErr().println("(run with --verbose for details)");
        }
        return 1;
    }
}
