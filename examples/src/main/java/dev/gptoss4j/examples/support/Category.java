package dev.gptoss4j.examples.support;

/** Which team a ticket goes to. */
public enum Category {
    BILLING,
    SHIPPING,
    TECHNICAL,
    ACCOUNT,
    OTHER
}
