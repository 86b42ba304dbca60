package dev.gptoss4j.agent.backend;

import static org.junit.jupiter.api.Assertions.*;

import dev.gptoss4j.engine.sampling.SamplerConfig;
import org.junit.jupiter.api.Test;

class SamplingParametersTest {

    @Test
    void overridesReplaceOnlyTheFieldsTheySet() {
        SamplerConfig base = SamplerConfig.builder()
                .temperature(1f)
                .topP(1f)
                .topK(0)
                .minP(0.05f)
                .seed(1)
                .build();
        SamplerConfig s = new SamplingParameters(0.2, 0.9, 40, 0.5, 0.25, 99L).applyTo(base);
        assertEquals(0.2f, s.temperature());
        assertEquals(0.9f, s.topP());
        assertEquals(40, s.topK());
        assertEquals(0.5f, s.presencePenalty());
        assertEquals(0.25f, s.frequencyPenalty());
        assertEquals(99L, s.seed());
        assertEquals(0.05f, s.minP(), "not overridable: kept");

        SamplerConfig onlySeed = new SamplingParameters(null, null, null, null, null, 5L).applyTo(base);
        assertEquals(base.toBuilder().seed(5).build(), onlySeed);
        assertSame(base, SamplingParameters.DEFAULT.applyTo(base));
    }

    @Test
    void impossibleValuesAreRefusedWithTheirName() {
        var e = assertThrows(
                IllegalArgumentException.class, () -> new SamplingParameters(null, 1.5, null, null, null, null));
        assertTrue(e.getMessage().contains("topP"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> new SamplingParameters(-1.0, null, null, null, null, null));
        assertTrue(e.getMessage().contains("temperature"), e.getMessage());
    }
}
