package dev.gptoss4j.cli;

import dev.gptoss4j.agent.tool.ToolException;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Safe function tools for {@code gptoss run}: they read nothing and change nothing. Plain methods turned into tools
 * through LangChain4j's {@code @Tool} annotations.
 */
public final class DemoTools {

    /** The calculator alone. */
    public static final class Calculator {
        @Tool(
                name = "calculate",
                value = "Evaluates an arithmetic expression: numbers, + - * / ^ % and parentheses, "
                        + "sqrt(x). Returns the exact decimal result.")
        public String calculate(@P("the expression, such as (17 * 23) + 4") String expression) {
            return Arithmetic.evaluate(expression);
        }
    }

    /** The clock alone. */
    public static final class Clock {
        @Tool(name = "current_time", value = "The current date and time in a time zone.")
        public String currentTime(
                @P(value = "IANA time zone such as Europe/Paris; UTC when absent", required = false) String timezone) {
            ZoneId zone;
            try {
                zone = timezone == null || timezone.isBlank() ? ZoneId.of("UTC") : ZoneId.of(timezone.strip());
            } catch (DateTimeException e) {
                throw new ToolException("unknown time zone '" + timezone + "' (use an IANA name such as Asia/Tokyo)");
            }
            return ZonedDateTime.now(zone).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + " (" + zone + ")";
        }
    }

    private DemoTools() {}
}
