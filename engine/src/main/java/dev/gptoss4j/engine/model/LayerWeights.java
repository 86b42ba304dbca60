package dev.gptoss4j.engine.model;

import dev.gptoss4j.engine.kernels.Matrix;

/**
 * The weights of one transformer block, layout-independent. Large matrices stay in the mapped file; the small
 * vectors (norm scales, biases, sinks) are decoded to float32. Each expert's fused first projection is exposed
 * as its two halves: {@code expertGate[e]} (the SwiGLU "glu" half) and {@code expertUp[e]} (the linear half).
 */
public record LayerWeights(
        float[] attnNorm,
        Matrix wq,
        float[] bq,
        Matrix wk,
        float[] bk,
        Matrix wv,
        float[] bv,
        float[] sinks,
        Matrix wo,
        float[] bo,
        float[] mlpNorm,
        Matrix router,
        float[] routerBias,
        Matrix[] expertGate,
        float[][] gateBias,
        Matrix[] expertUp,
        float[][] upBias,
        Matrix[] expertDown,
        float[][] downBias) {}
