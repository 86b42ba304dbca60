package dev.gptoss4j.engine;

/** A flag another thread sets to stop a generation after the token in progress. */
public final class Cancellation {

    private volatile boolean cancelled;

    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }
}
