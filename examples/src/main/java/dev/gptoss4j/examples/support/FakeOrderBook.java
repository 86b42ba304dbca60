package dev.gptoss4j.examples.support;

import dev.gptoss4j.agent.tool.ToolException;
import java.util.Locale;
import java.util.Map;

/** A stand-in for a shop's order system, so the example runs offline: a few invented orders. */
public final class FakeOrderBook {

    private static final Map<String, OrderStatus> ORDERS = Map.of(
            "A-1042",
                    new OrderStatus(
                            "A-1042",
                            "Blender BX-500",
                            "shipped",
                            "2025-07-22",
                            "Parcelway",
                            "arrived at the regional depot",
                            "2025-07-24"),
            "A-1043",
                    new OrderStatus(
                            "A-1043",
                            "Kettle K2",
                            "delivered",
                            "2025-07-20",
                            "Parcelway",
                            "delivered to the front door",
                            "2025-07-23"),
            "A-1044", new OrderStatus("A-1044", "Toaster T4", "processing", null, null, null, null));

    /** The order's status; an unknown id is a tool error the model reads. */
    public OrderStatus find(String orderId) {
        String id = orderId == null ? "" : orderId.strip().toUpperCase(Locale.ROOT);
        OrderStatus status = ORDERS.get(id);
        if (status == null) throw new ToolException("no order '" + orderId + "'; order ids look like A-1042");
        return status;
    }
}
