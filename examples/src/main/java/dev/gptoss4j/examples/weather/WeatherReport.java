package dev.gptoss4j.examples.weather;

/** What {@code get_current_weather} returns; the model reads it as JSON. */
public record WeatherReport(
        String location,
        double temperature,
        TemperatureUnit unit,
        String conditions,
        int humidityPercent,
        int windKph) {}
