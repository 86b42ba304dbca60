package dev.gptoss4j.examples.agents;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import java.util.Locale;

/** Long, invented weather-station reports: each one alone fills a good part of a small context window. */
public final class StationReports {

    static final int LINES = 45;

    @Tool("Reads the full hourly report of a weather station for yesterday.")
    public String readReport(@P("station name") String station) {
        StringBuilder sb = new StringBuilder("Station ").append(station).append(", hourly readings:\n");
        int seed = seed(station);
        for (int hour = 0; hour < LINES; hour++) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%02d:30 temperature %d C, wind %d km/h, rain %d mm%n",
                    hour % 24,
                    5 + (seed + hour) % 9,
                    10 + (seed + 3 * hour) % 20,
                    rain(station, hour)));
        }
        sb.append("Total rain: ").append(totalRain(station)).append(" mm\n");
        return sb.toString();
    }

    /** The total the report ends with, for checking an answer. */
    public static int totalRain(String station) {
        int total = 0;
        for (int hour = 0; hour < LINES; hour++) total += rain(station, hour);
        return total;
    }

    private static int rain(String station, int hour) {
        return Math.floorMod((station.toLowerCase(Locale.ROOT) + hour).hashCode(), 4);
    }

    private static int seed(String station) {
        return Math.floorMod(station.toLowerCase(Locale.ROOT).hashCode(), 1000);
    }
}
