package dev.gptoss4j.examples.weather;

/** Lower-case constants: the names are what the model sees in the tool's schema and writes back. */
public enum TemperatureUnit {
    celsius,
    fahrenheit
}
