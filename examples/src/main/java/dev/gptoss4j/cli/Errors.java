package dev.gptoss4j.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * One line per error, the same for every command: {@code gptoss COMMAND: what went wrong}, then a hint. A failure
 * while running exits 1, with a stack trace only under {@code --verbose} or {@code GPTOSS_VERBOSE=1}; a mistake in
 * the command line exits 2 and points to {@code --help} instead of printing all of it.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        boolean verbose = "1".equals(System.getenv("GPTOSS_VERBOSE"))
                || parsed.originalArgs().contains("--verbose");
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        cli.getErr().println(cli.getCommandSpec().qualifiedName() + ": " + message);
        if (verbose) {
            e.printStackTrace(cli.getErr());
        } else if (e instanceof CommandRefused) {
            cli.getErr().flush(); // the message is the instruction; nothing more to see
        } else {
            cli.getErr().println("(run with --verbose for details)");
        }
        return 1;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        PrintWriter err = cli.getErr();
        String name = cli.getCommandSpec().qualifiedName();
        err.println(name + ": " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("(" + name + " --help lists the options)");
        err.flush();
        return 2;
    }
}
