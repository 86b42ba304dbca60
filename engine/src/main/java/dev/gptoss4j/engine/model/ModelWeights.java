package dev.gptoss4j.engine.model;

import dev.gptoss4j.engine.kernels.Matrix;
import java.util.List;

/** All weights of a gpt-oss model: embedding, blocks, final norm, unembedding. */
public record ModelWeights(Matrix embedding, List<LayerWeights> layers, float[] norm, Matrix unembedding) {
    public ModelWeights {
        layers = List.copyOf(layers);
    }
}
