package dev.gptoss4j.agent.tool;

import static org.junit.jupiter.api.Assertions.*;

import dev.langchain4j.agent.tool.P;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ToolRunnerTest {

    public static class Weather {
        final List<String> calls = new ArrayList<>();

        @dev.langchain4j.agent.tool.Tool("Current temperature of a city, in degrees Celsius.")
        public String getWeather(@P("city name") String city, @P(value = "unit", required = false) String unit) {
            calls.add(city + "/" + unit);
            return "{\"city\":\"" + city + "\",\"temperature\":21}";
        }

        @dev.langchain4j.agent.tool.Tool("Adds two integers.")
        public int add(int a, int b) {
            return a + b;
        }

        @dev.langchain4j.agent.tool.Tool("Always fails.")
        public String broken() {
            throw new IllegalStateException("disk on fire");
        }

        @dev.langchain4j.agent.tool.Tool("Sleeps.")
        public String slow() throws InterruptedException {
            Thread.sleep(10_000);
            return "woke";
        }

        @dev.langchain4j.agent.tool.Tool("Prints a lot.")
        public String chatty(int n) {
            return "x".repeat(n);
        }
    }

    private final Weather weather = new Weather();

    private ToolRunner runner(ApprovalPolicy policy, Duration timeout) {
        return new ToolRunner(new ToolSet(MethodTools.from(weather)), policy, timeout, 100);
    }

    @Test
    void methodToolsCarryLangChain4jSchemaWithRealParameterNames() {
        Tool t = new ToolSet(MethodTools.from(weather)).find("functions.getWeather");
        assertNotNull(t);
        assertEquals("Current temperature of a city, in degrees Celsius.", t.description());
        assertEquals("string", t.parameters().at("/properties/city/type").asText());
        assertEquals(
                "city name", t.parameters().at("/properties/city/description").asText());
        assertEquals("[\"city\"]", t.parameters().get("required").toString());
        assertEquals(
                "integer",
                new ToolSet(MethodTools.from(weather))
                        .find("add")
                        .parameters()
                        .at("/properties/a/type")
                        .asText());
    }

    @Test
    void runsValidCallAndConvertsResult() {
        ToolOutcome o = runner(ApprovalPolicy.allowAll(), Duration.ofSeconds(5))
                .run("functions.add", "{\"a\": 2, \"b\": 40}", () -> false);
        assertEquals(ToolOutcome.Status.OK, o.status());
        assertEquals("42", o.text());
        ToolOutcome w = runner(ApprovalPolicy.allowAll(), Duration.ofSeconds(5))
                .run("functions.getWeather", "{\"city\": \"Oslo\"}", () -> false);
        assertTrue(w.ok());
        assertEquals(List.of("Oslo/null"), weather.calls);
    }

    @Test
    void invalidJsonIsReportedNotThrown() {
        ToolOutcome o = runner(ApprovalPolicy.allowAll(), Duration.ofSeconds(5))
                .run("functions.add", "{\"a\": 2,", () -> false);
        assertEquals(ToolOutcome.Status.INVALID_ARGUMENTS, o.status());
        assertTrue(o.text().contains("not valid JSON"), o.text());
    }

    @Test
    void schemaViolationNamesTheField() {
        ToolOutcome o = runner(ApprovalPolicy.allowAll(), Duration.ofSeconds(5))
                .run("functions.add", "{\"a\": \"two\", \"b\": 1}", () -> false);
        assertEquals(ToolOutcome.Status.INVALID_ARGUMENTS, o.status());
        assertTrue(o.text().contains("$.a"), o.text());
        ToolOutcome missing =
                runner(ApprovalPolicy.allowAll(), Duration.ofSeconds(5)).run("functions.getWeather", "{}", () -> false);
        assertEquals(ToolOutcome.Status.INVALID_ARGUMENTS, missing.status());
        assertTrue(missing.text().contains("city"), missing.text());
        assertTrue(weather.calls.isEmpty());
    }

    @Test
    void exceptionsBecomeFailedResults() {
        ToolOutcome o =
                runner(ApprovalPolicy.allowAll(), Duration.ofSeconds(5)).run("functions.broken", "{}", () -> false);
        assertEquals(ToolOutcome.Status.FAILED, o.status());
        assertTrue(o.text().contains("IllegalStateException: disk on fire"), o.text());
    }

    @Test
    void slowToolTimesOut() {
        long t0 = System.nanoTime();
        ToolOutcome o =
                runner(ApprovalPolicy.allowAll(), Duration.ofMillis(200)).run("functions.slow", "{}", () -> false);
        assertEquals(ToolOutcome.Status.TIMED_OUT, o.status());
        assertTrue(o.text().contains("200 ms"), o.text());
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toMillis() < 5000);
    }

    @Test
    void aTimedOutToolHasStoppedWhenTheModelIsToldSo() {
        AtomicBoolean stillWorking = new AtomicBoolean();
        Tool stoppable = FunctionTool.builder()
                .name("stoppable")
                .description("Works until interrupted, then tidies up.")
                .handler(args -> {
                    stillWorking.set(true);
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        // a sandbox stopping its guest takes a moment: model that, then end
                        long until = System.nanoTime() + 300_000_000L;
                        while (System.nanoTime() < until) Thread.onSpinWait();
                    }
                    stillWorking.set(false);
                    return ToolResult.of("late");
                })
                .build();
        ToolOutcome o = new ToolRunner(
                        new ToolSet(List.of(stoppable)), ApprovalPolicy.allowAll(), Duration.ofMillis(200), 100)
                .run("functions.stoppable", "{}", () -> false);
        assertEquals(ToolOutcome.Status.TIMED_OUT, o.status());
        assertFalse(stillWorking.get(), "the tool's work had ended before the outcome was returned");
        assertFalse(o.text().contains("may still be running"), o.text());
    }

    @Test
    void aToolThatIgnoresTheStopIsReportedAsStillRunning() {
        AtomicBoolean release = new AtomicBoolean();
        Tool stubborn = FunctionTool.builder()
                .name("stubborn")
                .description("Ignores interrupts.")
                .handler(args -> {
                    while (!release.get()) Thread.onSpinWait();
                    return ToolResult.of("done");
                })
                .build();
        try {
            ToolOutcome o = new ToolRunner(
                            new ToolSet(List.of(stubborn)), ApprovalPolicy.allowAll(), Duration.ofMillis(100), 100)
                    .run("functions.stubborn", "{}", () -> false);
            assertEquals(ToolOutcome.Status.TIMED_OUT, o.status());
            assertTrue(o.text().contains("may still be running"), o.text());
        } finally {
            release.set(true);
        }
    }

    @Test
    void cancellationStopsWaiting() {
        AtomicBoolean cancel = new AtomicBoolean();
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException ignored) {
            }
            cancel.set(true);
        });
        ToolOutcome o =
                runner(ApprovalPolicy.allowAll(), Duration.ofSeconds(30)).run("functions.slow", "{}", cancel::get);
        assertEquals(ToolOutcome.Status.CANCELLED, o.status());
    }

    @Test
    void hugeOutputIsCappedWithNote() {
        ToolOutcome o = runner(ApprovalPolicy.allowAll(), Duration.ofSeconds(5))
                .run("functions.chatty", "{\"n\": 5000}", () -> false);
        assertTrue(o.ok());
        assertTrue(o.text().startsWith("x".repeat(100) + "\n[output truncated: showing 100 of 5000"), o.text());
    }

    @Test
    void deniedCallDoesNotRun() {
        ApprovalPolicy policy = ApprovalPolicy.perTool()
                .deny("functions.getWeather")
                .ask("functions.add", r -> r.arguments().contains("\"a\": 1"));
        ToolRunner r = runner(policy, Duration.ofSeconds(5));
        ToolOutcome o = r.run("functions.getWeather", "{\"city\":\"Oslo\"}", () -> false);
        assertEquals(ToolOutcome.Status.DENIED, o.status());
        assertTrue(weather.calls.isEmpty());
        assertEquals(
                ToolOutcome.Status.DENIED,
                r.run("functions.add", "{\"a\": 2, \"b\": 1}", () -> false).status());
        assertEquals(
                "2", r.run("functions.add", "{\"a\": 1, \"b\": 1}", () -> false).text());
    }

    @Test
    void unknownToolListsTheKnownOnes() {
        ToolOutcome o =
                runner(ApprovalPolicy.allowAll(), Duration.ofSeconds(5)).run("functions.nope", "{}", () -> false);
        assertEquals(ToolOutcome.Status.UNKNOWN_TOOL, o.status());
        assertTrue(o.text().contains("functions.add"), o.text());
    }

    @Test
    void rawTextToolSkipsJson() {
        Tool python = FunctionTool.builder()
                .namespace("python")
                .name("python")
                .parameters(null)
                .handler(a -> ToolResult.of("ran: " + a.raw()))
                .build();
        ToolRunner r =
                new ToolRunner(new ToolSet(List.of(python)), ApprovalPolicy.allowAll(), Duration.ofSeconds(1), 100);
        assertEquals("ran: print(1", r.run("python", "print(1", () -> false).text());
    }

    @Test
    void stringSchemaToolTakesFreeTextAndIsAnnouncedAsString() {
        Tool patch = FunctionTool.builder()
                .name("apply_patch")
                .description("Patch a file")
                .parameters(Schemas.parse("{\"type\":\"string\",\"description\":\"Formatted patch code\"}"))
                .handler(a -> ToolResult.of("got " + a.raw().length() + (a.json() == null ? " raw" : " json")))
                .build();
        ToolRunner r =
                new ToolRunner(new ToolSet(List.of(patch)), ApprovalPolicy.allowAll(), Duration.ofSeconds(1), 100);
        ToolOutcome o = r.run("functions.apply_patch", "*** Begin Patch\n*** End Patch", () -> false);
        assertEquals(ToolOutcome.Status.OK, o.status());
        assertEquals("got 29 raw", o.text()); // the 29 characters of the patch, unparsed
        assertEquals(
                "string",
                ToolDescriptions.of(List.of(patch))
                        .get(0)
                        .parameters()
                        .get("type")
                        .asText());
    }
}
