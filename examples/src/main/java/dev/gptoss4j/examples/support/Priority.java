package dev.gptoss4j.examples.support;

/** How soon a ticket needs an answer. */
public enum Priority {
    LOW,
    NORMAL,
    HIGH,
    URGENT
}
