package dev.gptoss4j.examples.support;

/** What {@code lookup_order} returns; the model reads it as JSON. */
public record OrderStatus(
        String orderId,
        String item,
        String status,
        String shippedOn,
        String carrier,
        String lastTrackingEvent,
        String lastTrackingDate) {}
