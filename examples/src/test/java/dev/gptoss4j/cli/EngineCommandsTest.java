package dev.gptoss4j.cli;

import static dev.gptoss4j.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gptoss4j.cli.CliRun.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code gptoss logits} and {@code gptoss generate} on the engine module's tiny conformance model. */
class EngineCommandsTest {

    static final Path TINY = Path.of("../engine/src/test/resources/conformance/engine/tiny");

    static JsonNode reference(int sequence) throws Exception {
        return new ObjectMapper()
                .readTree(TINY.resolve("reference.json").toFile())
                .get("sequences")
                .get(sequence);
    }

    @Test
    void logitsForEveryPositionMatchTheReference() throws Exception {
        assertTrue(Files.isDirectory(TINY), "fixture missing: " + TINY.toAbsolutePath());
        JsonNode seq = reference(1);
        StringBuilder ids = new StringBuilder();
        for (JsonNode t : seq.get("tokens"))
            ids.append(ids.isEmpty() ? "" : ",").append(t.asInt());
        Outcome r = run(
                "logits",
                "--model",
                TINY.resolve("hf").toString(),
                "--tokens",
                ids.toString(),
                "--all-positions",
                "--threads",
                "2");
        assertEquals(0, r.code(), r.err());
        JsonNode logits = new ObjectMapper().readTree(r.out()).get("logits");
        assertEquals(seq.get("tokens").size(), logits.size());
        double maxDiff = 0;
        double maxRef = 0;
        for (int p = 0; p < logits.size(); p++) {
            for (int i = 0; i < 512; i++) {
                double ref = seq.get("logits").get(p).get(i).asDouble();
                maxDiff = Math.max(maxDiff, Math.abs(logits.get(p).get(i).asDouble() - ref));
                maxRef = Math.max(maxRef, Math.abs(ref));
            }
        }
        assertTrue(maxDiff / maxRef <= 1e-3, "relative error " + maxDiff / maxRef);
    }

    @Test
    void topKListsTheLargestLogits() throws Exception {
        Outcome r = run("logits", "--model", TINY.resolve("tiny-f32.gguf").toString(), "--tokens", "17", "--top", "3");
        assertEquals(0, r.code(), r.err());
        JsonNode top = new ObjectMapper().readTree(r.out()).get("top").get(0);
        assertEquals(3, top.size());
        assertEquals(
                reference(0).get("greedy").get(0).asInt(), top.get(0).get("id").asInt());
        assertTrue(top.get(0).get("logit").asDouble() >= top.get(1).get("logit").asDouble());
    }

    @Test
    void generateJsonGivesTheGreedyContinuation() throws Exception {
        Outcome r = run(
                "generate",
                "--model",
                TINY.resolve("tiny-bf16.gguf").toString(),
                "--tokens",
                "17",
                "--max-tokens",
                "16",
                "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode out = new ObjectMapper().readTree(r.out());
        assertEquals(reference(0).get("greedy"), out.get("tokens"));
        assertTrue(out.get("text").isTextual()); // decoded with the GGUF's own vocabulary
    }

    @Test
    void seededSamplingIsReproducibleFromTheCommandLine() {
        String[] args = {
            "generate",
            "--model",
            TINY.resolve("original").toString(),
            "--tokens",
            "1,2,3",
            "--max-tokens",
            "8",
            "--temperature",
            "0.9",
            "--seed",
            "5",
            "--json"
        };
        Outcome a = run(args);
        Outcome b = run(args);
        assertEquals(0, a.code(), a.err());
        assertEquals(a.out(), b.out());
    }

    @Test
    void errorsAreOneLine() {
        Outcome missing = run("generate", "--model", "/no/such/model", "--tokens", "1");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("/no/such/model not found"), missing.err());
        Outcome prompt = run("generate", "--model", TINY.resolve("original").toString(), "--prompt", "hi");
        assertEquals(1, prompt.code());
        assertTrue(prompt.err().contains("o200k_harmony"), prompt.err());
        Outcome badIds = run("logits", "--model", TINY.resolve("original").toString(), "--tokens", "1,x");
        assertTrue(badIds.code() != 0);
        assertTrue(badIds.err().contains("'x' is not a token id"), badIds.err());
        Outcome outOfVocab = run("logits", "--model", TINY.resolve("original").toString(), "--tokens", "600");
        assertEquals(1, outOfVocab.code());
        assertTrue(outOfVocab.err().contains("outside the vocabulary"), outOfVocab.err());
    }
}
