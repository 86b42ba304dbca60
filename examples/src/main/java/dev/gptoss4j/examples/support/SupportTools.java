package dev.gptoss4j.examples.support;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;

/** The support bot's function tool, backed by {@link FakeOrderBook}. */
public final class SupportTools {

    private final FakeOrderBook orders;

    public SupportTools(FakeOrderBook orders) {
        this.orders = orders;
    }

    @Tool(name = "lookup_order", value = "Looks up an order: item, shipping status, carrier and latest tracking event.")
    public OrderStatus lookupOrder(@P("the order id, such as A-1042") String orderId) {
        return orders.find(orderId);
    }
}
