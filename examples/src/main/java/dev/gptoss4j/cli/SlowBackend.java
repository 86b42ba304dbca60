package dev.gptoss4j.cli;

import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.agent.backend.Completion;
import dev.gptoss4j.agent.backend.CompletionListener;
import dev.gptoss4j.agent.backend.CompletionRequest;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.MessageHeader;

/**
 * A backend that streams as slowly as a real model: it waits before passing on each piece of text. Replays are
 * instant, which hides what a user sees (and can cancel) while an answer streams; demos and tests of Ctrl-C need
 * the wait.
 */
final class SlowBackend implements Backend {

    private final Backend backend;
    private final long delayMs;

    SlowBackend(Backend backend, long delayMs) {
        this.backend = backend;
        this.delayMs = delayMs;
    }

    @Override
    public Completion complete(CompletionRequest request, CompletionListener listener) {
        return backend.complete(request, new CompletionListener() {
            @Override
            public void onMessageStart(MessageHeader header) {
                listener.onMessageStart(header);
            }

            @Override
            public void onContentDelta(MessageHeader header, String delta) {
                // a piece that arrives after Ctrl-C would only be dropped by the agent: do not show it either
                if (pause(request)) listener.onContentDelta(header, delta);
            }

            @Override
            public void onMessageEnd(Message message) {
                listener.onMessageEnd(message);
            }
        });
    }

    /**
     * Waits, in short steps so a cancelled request does not wait out the whole delay.
     *
     * @return false when the request was cancelled meanwhile
     */
    private boolean pause(CompletionRequest request) {
        long end = System.nanoTime() + delayMs * 1_000_000;
        try {
            while (!request.cancelled().getAsBoolean()) {
                long left = end - System.nanoTime();
                if (left <= 0) return true;
                Thread.sleep(Math.min(10, Math.max(1, left / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
        return false;
    }

    @Override
    public String describe() {
        return backend.describe() + " (" + delayMs + " ms a token)";
    }

    @Override
    public void close() {
        backend.close();
    }
}
