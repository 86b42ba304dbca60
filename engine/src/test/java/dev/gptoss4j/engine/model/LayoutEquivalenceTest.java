package dev.gptoss4j.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gptoss4j.engine.Fixtures;
import dev.gptoss4j.engine.kernels.Matrix;
import dev.gptoss4j.engine.kernels.WeightType;
import org.junit.jupiter.api.Test;

/**
 * The fixture holds one model in every layout; the loaders must expose the same values: in particular the
 * de-interleaved gate/linear halves of the safetensors experts must equal GGUF's split ffn_gate/ffn_up, and
 * ggml's MXFP4 blocks the safetensors blocks.
 */
class LayoutEquivalenceTest {

    @Test
    void expertsAttentionAndEmbeddingsAgree() {
        try (LoadedModel hf = ModelLoader.load(Fixtures.hf());
                LoadedModel orig = ModelLoader.load(Fixtures.original());
                LoadedModel gguf = ModelLoader.load(Fixtures.ggufF32())) {
            assertEquals(
                    WeightType.MXFP4_SPLIT,
                    hf.weights().layers().get(0).expertGate()[0].type());
            assertEquals(
                    WeightType.MXFP4,
                    gguf.weights().layers().get(0).expertGate()[0].type());
            for (int l = 0; l < 4; l++) {
                LayerWeights a = hf.weights().layers().get(l);
                LayerWeights b = gguf.weights().layers().get(l);
                LayerWeights c = orig.weights().layers().get(l);
                for (int e = 0; e < 8; e++) {
                    same(a.expertGate()[e], b.expertGate()[e]);
                    same(a.expertUp()[e], b.expertUp()[e]);
                    same(a.expertDown()[e], b.expertDown()[e]);
                    same(c.expertUp()[e], b.expertUp()[e]);
                    assertArrayEquals(a.gateBias()[e], b.gateBias()[e]);
                    assertArrayEquals(a.upBias()[e], b.upBias()[e]);
                    assertArrayEquals(c.downBias()[e], b.downBias()[e]);
                }
                same(a.wq(), b.wq());
                same(c.wk(), b.wk());
                same(c.wv(), a.wv());
                assertArrayEquals(a.sinks(), b.sinks());
                assertArrayEquals(c.bq(), a.bq());
            }
            same(orig.weights().embedding(), gguf.weights().embedding());
            same(hf.weights().unembedding(), gguf.weights().unembedding());
        }
    }

    static void same(Matrix x, Matrix y) {
        assertEquals(x.rows(), y.rows());
        assertEquals(x.cols(), y.cols());
        assertArrayEquals(x.toFloatArray(), y.toFloatArray(), x + " vs " + y);
    }
}
