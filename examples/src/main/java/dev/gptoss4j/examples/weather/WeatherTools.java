package dev.gptoss4j.examples.weather;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;

/** The bot's function tool: a plain method with LangChain4j's {@code @Tool}, backed by {@link FakeWeatherService}. */
public final class WeatherTools {

    private final FakeWeatherService service;

    public WeatherTools(FakeWeatherService service) {
        this.service = service;
    }

    @Tool(name = "get_current_weather", value = "Gets the current weather at a location.")
    public WeatherReport currentWeather(
            @P("the city, optionally with its country, such as \"Oslo, Norway\"") String location,
            @P("the temperature unit") TemperatureUnit unit) {
        return service.current(location, unit);
    }
}
