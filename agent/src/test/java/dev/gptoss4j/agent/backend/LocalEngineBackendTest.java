package dev.gptoss4j.agent.backend;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gptoss4j.engine.SessionOptions;
import dev.gptoss4j.engine.sampling.SamplerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocalEngineBackendTest {

    /** The engine's tiny conformance model: real gpt-oss architecture, but a 512-token vocabulary. */
    private static final Path TINY = Path.of("../engine/src/test/resources/conformance/engine/tiny/tiny-bf16.gguf");

    @Test
    void modelWithoutTheHarmonyVocabularyIsRefusedClearly() {
        assumeTrue(Files.isRegularFile(TINY), "engine fixture present");
        BackendException e = assertThrows(
                BackendException.class,
                () -> LocalEngineBackend.load(TINY, SamplerConfig.greedy(), SessionOptions.defaults()));
        assertTrue(e.getMessage().contains("vocabulary of 512"), e.getMessage());
        assertTrue(e.getMessage().contains("201088"), e.getMessage());
    }
}
