package dev.gptoss4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.agent.backend.LocalEngineBackend;
import dev.gptoss4j.engine.GptOss;
import dev.gptoss4j.engine.Scheduler;
import dev.gptoss4j.engine.SessionOptions;
import dev.gptoss4j.engine.sampling.SamplerConfig;
import dev.gptoss4j.engine.synth.GgufType;
import dev.gptoss4j.engine.synth.SynthConfig;
import dev.gptoss4j.engine.synth.SynthGguf;
import dev.gptoss4j.serve.openai.ApiSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --parallel 8} as the command builds it: eight backends on one scheduler answer eight concurrent
 * streamed requests, batched together, each stream exactly what it is when it runs alone.
 */
class ScheduledServeTest {

    @TempDir
    Path dir;

    static String body(int i) {
        return "{\"messages\": [{\"role\": \"user\", \"content\": \"Question number " + i + ": say something.\"}],"
                + " \"stream\": true, \"max_tokens\": 12, \"seed\": 5}";
    }

    /** Everything a stream said, its chunks' deltas in order (ids and timestamps left out). */
    static String said(List<Http.Event> events) throws Exception {
        StringBuilder out = new StringBuilder();
        for (Http.Event e : events) {
            if (e.data().equals("[DONE]")) {
                out.append("[DONE]");
                continue;
            }
            JsonNode chunk = Http.JSON.readTree(e.data());
            if (chunk.has("choices") && !chunk.get("choices").isEmpty()) {
                JsonNode c = chunk.get("choices").get(0);
                out.append(c.path("delta").toString())
                        .append(c.path("finish_reason").asText(""));
            } else if (chunk.has("error")) {
                out.append(chunk.get("error").toString());
            }
        }
        return out.toString();
    }

    @Test
    void eightConcurrentStreamsRunThroughTheScheduler() throws Exception {
        Path file = dir.resolve("tiny.gguf");
        SynthGguf.write(SynthConfig.tiny().withLayers(2), 9, GgufType.Q8_0, file, 2, done -> {});
        SamplerConfig sampling = SamplerConfig.builder().temperature(1f).build();
        SessionOptions options = SessionOptions.builder().maxContext(1024).build();
        try (GptOss model = GptOss.load(file);
                Scheduler scheduler = model.newScheduler(2)) {
            List<Backend> backends = new ArrayList<>();
            for (int i = 0; i < 8; i++) backends.add(LocalEngineBackend.of(scheduler, model, sampling, options));
            try (OpenAiServer server = OpenAiServer.builder()
                    .backends(backends)
                    .port(0)
                    .settings(ApiSettings.defaults("m"))
                    .build()
                    .start()) {
                String url = server.baseUrl() + "/chat/completions";
                List<String> alone = new ArrayList<>();
                for (int i = 0; i < 8; i++) alone.add(said(Http.stream(url, body(i))));
                long stepsBefore = scheduler.steps();
                ExecutorService pool = Executors.newFixedThreadPool(8);
                try {
                    List<Future<String>> streams = new ArrayList<>();
                    for (int i = 0; i < 8; i++) {
                        int k = i;
                        streams.add(pool.submit(() -> said(Http.stream(url, body(k)))));
                    }
                    for (int i = 0; i < 8; i++) {
                        String got = streams.get(i).get();
                        assertTrue(got.endsWith("[DONE]"), got);
                        assertEquals(alone.get(i), got, "stream " + i);
                    }
                } finally {
                    pool.shutdownNow();
                }
                assertTrue(scheduler.largestBatch() >= 8, "largest step " + scheduler.largestBatch());
                assertTrue(
                        scheduler.steps() - stepsBefore < 8 * 12, "steps shared: " + (scheduler.steps() - stepsBefore));
            } finally {
                for (Backend b : backends) b.close();
            }
        }
    }
}
