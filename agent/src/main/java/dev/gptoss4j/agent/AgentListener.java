package dev.gptoss4j.agent;

/**
 * Receives the {@link AgentEvent}s of a run as they happen. Runs on the agent's thread: keep it quick. An exception
 * thrown here is not allowed to break the run: it is swallowed (the listener is an observer).
 */
@FunctionalInterface
public interface AgentListener {

    void onEvent(AgentEvent event);

    AgentListener NONE = event -> {};
}
