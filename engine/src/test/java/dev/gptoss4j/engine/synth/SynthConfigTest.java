package dev.gptoss4j.engine.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthConfigTest {

    @TempDir
    Path dir;

    @Test
    void presetsHaveTheRealShapes() {
        SynthConfig b20 = SynthConfig.resolve("20b");
        assertEquals(
                List.of(24, 2880, 64, 8, 64, 32, 4, 2880, 201088, 128),
                List.of(
                        b20.layers(),
                        b20.hidden(),
                        b20.heads(),
                        b20.kvHeads(),
                        b20.headDim(),
                        b20.experts(),
                        b20.expertsPerToken(),
                        b20.intermediate(),
                        b20.vocab(),
                        b20.slidingWindow()));
        assertEquals(150000.0, b20.ropeTheta());
        assertEquals(List.of(32.0, 32.0, 1.0), List.of(b20.yarnFactor(), b20.yarnBetaFast(), b20.yarnBetaSlow()));
        assertEquals(4096, b20.yarnOriginalContext());
        assertEquals(7.0, b20.swigluLimit());
        for (int l = 0; l < 24; l++) assertEquals(l % 2 == 0, b20.isSliding(l), "layer " + l);

        SynthConfig b120 = SynthConfig.resolve("gpt-oss-120b");
        assertEquals(36, b120.layers());
        assertEquals(128, b120.experts());
        assertEquals(2880, b120.hidden());

        SynthConfig tiny = SynthConfig.resolve("TINY");
        assertEquals(SynthConfig.O200K_HARMONY_VOCAB, tiny.vocab());
        assertTrue(tiny.hidden() < 2880);
    }

    @Test
    void parameterCountsOfTheRealModels() {
        // gpt-oss-20b has about 20.9B parameters, gpt-oss-120b about 116.8B (OpenAI's model card).
        SynthConfig b20 = SynthConfig.gptOss20b();
        long total20 = b20.nonExpertParameters() + (long) b20.layers() * b20.experts() * b20.expertParameters();
        assertEquals(20.9e9, total20, 0.1e9);
        SynthConfig b120 = SynthConfig.gptOss120b();
        long total120 = b120.nonExpertParameters() + (long) b120.layers() * b120.experts() * b120.expertParameters();
        assertEquals(116.8e9, total120, 0.2e9);
    }

    @Test
    void withLayersCutsAndKeepsTheAlternation() {
        SynthConfig four = SynthConfig.gptOss20b().withLayers(4);
        assertEquals(4, four.layers());
        assertEquals(
                List.of(SynthConfig.SLIDING, SynthConfig.FULL, SynthConfig.SLIDING, SynthConfig.FULL),
                four.layerTypes());
        assertEquals(2880, four.hidden());
        assertEquals("gpt-oss-20b-4l", four.name());
        assertEquals(30, SynthConfig.gptOss20b().withLayers(30).layerTypes().size());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> SynthConfig.gptOss20b().withLayers(0));
        assertTrue(e.getMessage().contains("--layers"), e.getMessage());
    }

    @Test
    void readsAHuggingFaceConfig() throws IOException {
        Path file = TestFiles.resourceFile("tiny-fixture-config.json", dir);
        SynthConfig c = SynthConfig.resolve(file.toString());
        assertEquals(
                List.of(4, 128, 8, 2, 32, 8, 4, 64, 512, 8),
                List.of(
                        c.layers(),
                        c.hidden(),
                        c.heads(),
                        c.kvHeads(),
                        c.headDim(),
                        c.experts(),
                        c.expertsPerToken(),
                        c.intermediate(),
                        c.vocab(),
                        c.slidingWindow()));
        assertEquals(32.0, c.yarnFactor());
        assertEquals(4096, c.yarnOriginalContext());
        assertTrue(c.isSliding(0));
        assertFalse(c.isSliding(1));
    }

    @Test
    void badConfigsNameTheFieldAndTheFile() throws IOException {
        String fixture = Files.readString(TestFiles.resourceFile("tiny-fixture-config.json", dir));
        Path missing = dir.resolve("missing.json");
        Files.writeString(missing, fixture.replace("\"hidden_size\": 128,", ""));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SynthConfig.fromHfConfig(missing));
        assertTrue(
                e.getMessage().contains("missing.json") && e.getMessage().contains("'hidden_size' is missing"),
                e.getMessage());

        Path noRope = dir.resolve("norope.json");
        Files.writeString(noRope, "{\"num_hidden_layers\": 2}");
        e = assertThrows(IllegalArgumentException.class, () -> SynthConfig.fromHfConfig(noRope));
        assertTrue(e.getMessage().contains("rope_scaling"), e.getMessage());

        Path odd = dir.resolve("odd.json");
        Files.writeString(odd, fixture.replace("\"hidden_size\": 128", "\"hidden_size\": 100"));
        e = assertThrows(IllegalArgumentException.class, () -> SynthConfig.fromHfConfig(odd));
        assertTrue(e.getMessage().contains("hidden_size 100") && e.getMessage().contains("32"), e.getMessage());

        Path types = dir.resolve("types.json");
        Files.writeString(types, fixture.replace("\"full_attention\"", "\"local\""));
        e = assertThrows(IllegalArgumentException.class, () -> SynthConfig.fromHfConfig(types));
        assertTrue(e.getMessage().contains("layer_types[1]"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> SynthConfig.resolve("30b"));
        assertTrue(e.getMessage().contains("30b") && e.getMessage().contains("preset"), e.getMessage());
    }
}
