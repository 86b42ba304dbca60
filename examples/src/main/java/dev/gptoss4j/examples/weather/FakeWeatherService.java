package dev.gptoss4j.examples.weather;

import java.util.Locale;
import java.util.Map;

/**
 * A stand-in for a real weather API, so the example runs offline and its output can be checked: the weather is
 * invented. A few cities have fixed readings; any other place gets readings derived from its name, the same on
 * every run. Not a forecast of anything.
 */
public final class FakeWeatherService {

    /** The reading of a place, always in degrees Celsius. */
    record Reading(double celsius, String conditions, int humidityPercent, int windKph) {}

    private static final Map<String, Reading> FIXED = Map.of(
            "oslo", new Reading(-3, "light snow", 86, 14),
            "lisbon", new Reading(19, "sunny", 55, 9),
            "tokyo", new Reading(12, "cloudy", 62, 11),
            "paris", new Reading(8, "rain", 91, 20));

    private static final String[] CONDITIONS = {"sunny", "partly cloudy", "cloudy", "rain", "fog", "windy"};

    /** The current weather at {@code location} ("Oslo", "Oslo, Norway"), in {@code unit}. */
    public WeatherReport current(String location, TemperatureUnit unit) {
        if (location == null || location.isBlank()) throw new IllegalArgumentException("location must not be blank");
        String place = location.strip();
        String key = place.split(",")[0].strip().toLowerCase(Locale.ROOT);
        Reading r = FIXED.getOrDefault(key, invented(key));
        double temperature = unit == TemperatureUnit.fahrenheit ? r.celsius() * 9 / 5 + 32 : r.celsius();
        return new WeatherReport(
                place, Math.round(temperature * 10) / 10.0, unit, r.conditions(), r.humidityPercent(), r.windKph());
    }

    /** Readings that depend only on the name: the same place always gets the same weather. */
    private static Reading invented(String key) {
        int h = key.hashCode() & 0x7fffffff;
        return new Reading(h % 41 - 10, CONDITIONS[h / 41 % CONDITIONS.length], 30 + h / 7 % 66, h / 11 % 40);
    }
}
