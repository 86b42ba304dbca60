package dev.gptoss4j.cli;

/**
 * The command stops before doing something the user did not agree to or the machine cannot do (a download nobody
 * confirmed, a model larger than the memory). The message is the whole story, an instruction on one line: no stack
 * trace or "--verbose" hint follows it.
 */
final class CommandRefused extends RuntimeException {

    CommandRefused(String message) {
        super(message);
    }
}
