package dev.gptoss4j.examples.research;

import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.tools.browser.CitedText;

/**
 * What a research run produced.
 *
 * @param result the agent's result; its final text has the model's raw {@code 【cursor†Lx-Ly】} citations
 * @param answer the final answer with the citations turned into links to the pages, and where they point
 */
public record ResearchRun(AgentResult result, CitedText answer) {}
