package dev.gptoss4j.cli;

import dev.gptoss4j.agent.AgentListener;
import dev.gptoss4j.agent.store.ConversationStore;
import dev.gptoss4j.agent.trace.JsonLinesTracing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --session NAME} and {@code --trace FILE}, shared by {@code run} and {@code chat}. */
final class SessionFlags implements AutoCloseable {

    @Option(
            names = "--session",
            paramLabel = "NAME",
            description = "Go on with the stored conversation NAME and store it after each turn "
                    + "($GPTOSS_HOME/sessions/NAME.json, default ~/.gptoss/sessions); a new one if none is stored.")
    String session;

    @Option(
            names = "--session-dir",
            paramLabel = "DIR",
            description = "Where --session keeps conversations (default: $GPTOSS_HOME/sessions).")
    Path sessionDir;

    @Option(
            names = "--trace",
            paramLabel = "FILE",
            description = "Write spans of the run, its model calls and tool calls to FILE as JSON lines "
                    + "(the OpenTelemetry spans the library records).")
    Path trace;

    private Writer traceOut;

    /** The store sessions live in: {@code --session-dir}, else {@code $GPTOSS_HOME/sessions}. */
    ConversationStore store() throws IOException {
        return ConversationStore.files(
                sessionDir != null ? sessionDir : ChatCommand.home().resolve("sessions"));
    }

    /** The checked session name, or null without {@code --session}. */
    String session() {
        return session == null ? null : ConversationStore.checkId(session);
    }

    /** A listener writing the trace, or {@link AgentListener#NONE} without {@code --trace}. */
    AgentListener tracing() {
        if (trace == null) return AgentListener.NONE;
        if (traceOut == null) {
            try {
                traceOut = Files.newBufferedWriter(trace, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("--trace: cannot write " + trace + ": " + e.getMessage(), e);
            }
        }
        return new JsonLinesTracing(traceOut);
    }

    @Override
    public void close() throws IOException {
        if (traceOut != null) traceOut.close();
    }
}
