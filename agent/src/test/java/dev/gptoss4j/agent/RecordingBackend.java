package dev.gptoss4j.agent;

import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.agent.backend.Completion;
import dev.gptoss4j.agent.backend.CompletionListener;
import dev.gptoss4j.agent.backend.CompletionRequest;
import dev.gptoss4j.engine.harmony.Conversation;
import java.util.ArrayList;
import java.util.List;

/** Records what the model was shown at each call, for tests that check what the agent sent. */
public class RecordingBackend implements Backend {

    private final Backend inner;
    public final List<Conversation> seen = new ArrayList<>();

    public RecordingBackend(Backend inner) {
        this.inner = inner;
    }

    @Override
    public Completion complete(CompletionRequest request, CompletionListener listener) {
        seen.add(request.conversation());
        return inner.complete(request, listener);
    }

    @Override
    public String describe() {
        return inner.describe();
    }
}
