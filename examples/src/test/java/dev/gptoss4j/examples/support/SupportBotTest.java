package dev.gptoss4j.examples.support;

import static org.junit.jupiter.api.Assertions.*;

import dev.gptoss4j.agent.backend.ReplayBackend;
import dev.gptoss4j.agent.exception.AgentException;
import dev.gptoss4j.cli.CliRun;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class SupportBotTest {

    private static final String LOOKUP = "<|channel|>commentary to=functions.lookup_order <|constrain|>json"
            + "<|message|>{\"orderId\":\"%s\"}<|call|>";

    @Test
    void triagesTheTicketIntoATypedRecordAfterLookingTheOrderUp() {
        StringWriter out = new StringWriter();
        TicketTriage t =
                SupportBot.run(SupportBot.replay(), ReasoningEffort.LOW, SupportBot.TICKET, new PrintWriter(out));
        assertEquals(
                new TicketTriage(
                        Category.SHIPPING,
                        Priority.HIGH,
                        "Order A-1042 (Blender BX-500) has been "
                                + "stuck at the regional depot since 2025-07-24; the customer needs it by Saturday or wants a refund.",
                        true),
                t);
        // the order book's answer, produced by the tool, was shown (and handed to the model)
        assertTrue(
                out.toString()
                        .contains("[tool] functions.lookup_order {\"orderId\":\"A-1042\"} -> "
                                + "{\"orderId\":\"A-1042\",\"item\":\"Blender BX-500\",\"status\":\"shipped\""),
                out.toString());
        assertTrue(out.toString().contains("needs human: true"), out.toString());
    }

    @Test
    void anAnswerOutsideTheSchemaIsSentBackAndTheCorrectedOneIsParsed() {
        ReplayBackend replay = ReplayBackend.of(
                LOOKUP.formatted("a-1044"),
                "<|channel|>final<|message|>{\"category\":\"DELIVERY\",\"priority\":\"LOW\",\"summary\":\"x\","
                        + "\"needsHuman\":false}<|return|>",
                "<|channel|>final<|message|>```json\n{\"category\":\"SHIPPING\",\"priority\":\"LOW\","
                        + "\"summary\":\"Toaster not shipped yet.\",\"needsHuman\":false}\n```<|return|>");
        StringWriter out = new StringWriter();
        TicketTriage t =
                SupportBot.run(replay, ReasoningEffort.LOW, "Where is my toaster (a-1044)?", new PrintWriter(out));
        assertEquals(new TicketTriage(Category.SHIPPING, Priority.LOW, "Toaster not shipped yet.", false), t);
        // the lookup normalized the id; the first answer's unknown category was named back to the model
        assertTrue(out.toString().contains("\"status\":\"processing\""), out.toString());
        assertTrue(
                out.toString()
                        .contains("[retry 1] the final answer does not match the response format "
                                + "TicketTriage: $.category: does not have a value in the enumeration"),
                out.toString());
    }

    @Test
    void anUnknownOrderIsAToolErrorAndNoAnswerIsAClearFailure() {
        ReplayBackend replay = ReplayBackend.of(
                LOOKUP.formatted("Z-9"),
                "<|channel|>final<|message|>not json<|return|>",
                "<|channel|>final<|message|>still not json<|return|>",
                "<|channel|>final<|message|>nope<|return|>",
                "<|channel|>final<|message|>no<|return|>");
        StringWriter out = new StringWriter();
        AgentException e = assertThrows(
                AgentException.class,
                () -> SupportBot.run(replay, ReasoningEffort.LOW, "order Z-9?", new PrintWriter(out)));
        assertTrue(e.getMessage().startsWith("no TicketTriage answer"), e.getMessage());
        assertTrue(
                out.toString().contains("-> (failed) ")
                        && out.toString().contains("no order 'Z-9'; order ids look like A-1042"),
                out.toString());
    }

    @Test
    void cliPrintsTheTypedFields() {
        CliRun.Outcome o = CliRun.run("bots", "support");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("category:    SHIPPING\npriority:    HIGH\nneeds human: true\n"), o.out());
    }
}
