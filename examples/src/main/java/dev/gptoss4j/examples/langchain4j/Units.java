package dev.gptoss4j.examples.langchain4j;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import java.util.function.Consumer;

/** A LangChain4j tool class: plain methods with {@code @Tool}, usable by AiServices and by our Agent alike. */
public final class Units {

    private final Consumer<String> log;

    /** @param log told about each call, so a person (or a test) sees that the tool really ran */
    public Units(Consumer<String> log) {
        this.log = log;
    }

    @Tool("Converts a temperature from degrees Celsius to degrees Fahrenheit.")
    public double celsiusToFahrenheit(@P("temperature in degrees Celsius") double celsius) {
        double f = Math.round((celsius * 9 / 5 + 32) * 100) / 100.0;
        log.accept("celsiusToFahrenheit(" + celsius + ") = " + f);
        return f;
    }
}
