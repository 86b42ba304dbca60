package dev.gptoss4j.examples.support;

import dev.langchain4j.model.output.structured.Description;

/**
 * The support bot's typed answer: the agent announces this record's JSON Schema as the response format and parses
 * the model's final answer into it (checked against the schema; a bad answer is sent back to be fixed).
 */
public record TicketTriage(
        @Description("the team that should handle the ticket")
        Category category,

        @Description("how soon the customer needs an answer")
        Priority priority,

        @Description("one sentence: what happened and what the customer wants")
        String summary,

        @Description("true when a person must act (refunds, exceptions, angry customers)")
        boolean needsHuman) {}
