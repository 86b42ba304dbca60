package dev.gptoss4j.agent;

import java.time.Duration;

/**
 * Where the time of a run went.
 *
 * @param total wall time of the run
 * @param model time spent waiting for completions
 * @param tools time spent in tool calls (approval included)
 */
public record Timings(Duration total, Duration model, Duration tools) {}
