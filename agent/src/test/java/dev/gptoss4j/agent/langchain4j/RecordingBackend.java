package dev.gptoss4j.agent.langchain4j;

import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.agent.backend.Completion;
import dev.gptoss4j.agent.backend.CompletionListener;
import dev.gptoss4j.agent.backend.CompletionRequest;
import dev.gptoss4j.agent.backend.ReplayBackend;
import dev.gptoss4j.engine.harmony.Content;
import dev.gptoss4j.engine.harmony.DeveloperContent;
import dev.gptoss4j.engine.harmony.Message;
import dev.gptoss4j.engine.harmony.Role;
import dev.gptoss4j.engine.harmony.SystemContent;
import java.util.ArrayList;
import java.util.List;

/** A replay backend that keeps every request it was given, to check what the model was shown. */
final class RecordingBackend implements Backend {

    final ReplayBackend replay;
    final List<CompletionRequest> requests = new ArrayList<>();

    RecordingBackend(String... completions) {
        this.replay = ReplayBackend.of(completions);
    }

    @Override
    public Completion complete(CompletionRequest request, CompletionListener listener) {
        requests.add(request);
        return replay.complete(request, listener);
    }

    @Override
    public String describe() {
        return "recording " + replay.describe();
    }

    CompletionRequest last() {
        return requests.getLast();
    }

    List<Message> lastMessages() {
        return last().conversation().messages();
    }

    DeveloperContent lastDeveloper() {
        for (Message m : lastMessages()) {
            if (m.role() == Role.DEVELOPER) {
                for (Content c : m.content()) if (c instanceof DeveloperContent d) return d;
            }
        }
        return null;
    }

    SystemContent lastSystem() {
        for (Content c : lastMessages().getFirst().content()) if (c instanceof SystemContent s) return s;
        return null;
    }
}
