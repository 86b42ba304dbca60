package dev.gptoss4j.examples.weather;

import dev.gptoss4j.agent.Agent;
import dev.gptoss4j.agent.AgentResult;
import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.engine.harmony.ReasoningEffort;
import dev.gptoss4j.examples.BotConsole;
import dev.gptoss4j.examples.BundledReplay;
import java.io.PrintWriter;

/**
 * Function calling: gpt-oss calls {@code functions.get_current_weather(location, unit)} once per city, reads the
 * JSON results and compares them. The weather comes from {@link FakeWeatherService} (invented, deterministic).
 *
 * <pre>{@code ./gptoss bots weather [--model MODEL | --base-url URL | --backend replay:FILE] [--task TEXT]}</pre>
 */
public final class WeatherBot {

    public static final String TASK =
            "Is it warmer in Oslo or in Lisbon right now? Give both temperatures in " + "Fahrenheit.";

    static final String INSTRUCTIONS = "You are a weather assistant. Use get_current_weather for every place you "
            + "talk about; never guess the weather.";

    private WeatherBot() {}

    /** Runs {@code task}: tool calls and the streamed answer go to {@code out}. */
    public static AgentResult run(Backend backend, ReasoningEffort effort, String task, PrintWriter out) {
        Agent agent = Agent.builder()
                .backend(backend)
                .instructions(INSTRUCTIONS)
                .tools(new WeatherTools(new FakeWeatherService()))
                .reasoningEffort(effort)
                .listener(BotConsole.listener(out))
                .build();
        BotConsole.task(out, task);
        AgentResult result = agent.run(task);
        out.println();
        out.flush();
        return result;
    }

    /** What gpt-oss did with {@link #TASK}, recorded. */
    public static Backend replay() {
        return BundledReplay.load(WeatherBot.class, "weather.replay");
    }
}
