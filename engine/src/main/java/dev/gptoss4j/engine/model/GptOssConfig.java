package dev.gptoss4j.engine.model;

import dev.gptoss4j.engine.model.io.ModelFormatException;
import java.util.Arrays;

/**
 * The hyper-parameters of a gpt-oss model, read from the model's own metadata (config.json or GGUF keys).
 *
 * @param vocabSize          rows of the embedding and unembedding
 * @param hiddenSize         width of the residual stream
 * @param numLayers          transformer blocks
 * @param numHeads           query heads
 * @param numKvHeads         key/value heads (grouped-query attention)
 * @param headDim            width of one head
 * @param numExperts         experts per MoE layer
 * @param expertsPerToken    experts the router picks per token (top-k)
 * @param intermediateSize   width of one expert's hidden layer
 * @param swigluLimit        clamp of the SwiGLU inputs
 * @param slidingWindow      keys a sliding-window layer sees (including the current token)
 * @param slidingLayers      per layer: true when it uses the sliding window, false for full attention
 * @param ropeTheta          rotary base
 * @param ropeScalingFactor  YaRN factor (1 = no scaling)
 * @param ropeNtkAlpha       YaRN beta_slow (the reference calls it ntk_alpha)
 * @param ropeNtkBeta        YaRN beta_fast (the reference calls it ntk_beta)
 * @param initialContextLength the context the model was pre-trained at (YaRN's original context)
 * @param maxContext         the longest context the model supports
 * @param rmsNormEps         epsilon of every RMSNorm
 * @param eosTokenIds        end-of-sequence ids named by the metadata (may be empty)
 */
public record GptOssConfig(
        int vocabSize,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        int numExperts,
        int expertsPerToken,
        int intermediateSize,
        float swigluLimit,
        int slidingWindow,
        boolean[] slidingLayers,
        double ropeTheta,
        double ropeScalingFactor,
        double ropeNtkAlpha,
        double ropeNtkBeta,
        int initialContextLength,
        int maxContext,
        float rmsNormEps,
        int[] eosTokenIds) {

    public GptOssConfig {
        slidingLayers = slidingLayers.clone();
        eosTokenIds = eosTokenIds.clone();
        positive("vocab size", vocabSize);
        positive("hidden size", hiddenSize);
        positive("layer count", numLayers);
        positive("attention head count", numHeads);
        positive("key/value head count", numKvHeads);
        positive("head dimension", headDim);
        positive("expert count", numExperts);
        positive("experts per token", expertsPerToken);
        positive("expert width (intermediate size)", intermediateSize);
        positive("context length", maxContext);
        if (numHeads % numKvHeads != 0) {
            throw new ModelFormatException("attention head count " + numHeads
                    + " is not a multiple of the key/value head count " + numKvHeads);
        }
        if (expertsPerToken > numExperts) {
            throw new ModelFormatException(
                    "experts per token " + expertsPerToken + " exceeds the expert count " + numExperts);
        }
        if (headDim % 2 != 0) {
            throw new ModelFormatException("head dimension " + headDim + " must be even for rotary embedding");
        }
        if (slidingLayers.length != numLayers) {
            throw new ModelFormatException("layer types list has " + slidingLayers.length
                    + " entries, expected one per layer (" + numLayers + ")");
        }
        for (boolean sliding : slidingLayers) {
            if (sliding && slidingWindow <= 0) {
                throw new ModelFormatException(
                        "a sliding-window layer needs a positive sliding window, got " + slidingWindow);
            }
        }
    }

    private static void positive(String what, int value) {
        if (value <= 0) throw new ModelFormatException(what + " must be positive, got " + value);
    }

    /** The even-layer rule of the reference implementation: layers 0, 2, 4... slide, the others are full. */
    public static boolean[] alternatingSlidingLayers(int numLayers) {
        boolean[] sliding = new boolean[numLayers];
        for (int i = 0; i < numLayers; i += 2) sliding[i] = true;
        return sliding;
    }

    public boolean isSliding(int layer) {
        return slidingLayers[layer];
    }

    public int kvDim() {
        return numKvHeads * headDim;
    }

    public int qDim() {
        return numHeads * headDim;
    }

    @Override
    public boolean[] slidingLayers() {
        return slidingLayers.clone();
    }

    @Override
    public int[] eosTokenIds() {
        return eosTokenIds.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GptOssConfig c && toString().equals(c.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "GptOssConfig[vocab=" + vocabSize + ", hidden=" + hiddenSize + ", layers=" + numLayers
                + ", heads=" + numHeads + "/" + numKvHeads + "x" + headDim + ", experts=" + numExperts
                + " top-" + expertsPerToken + " width " + intermediateSize + ", swigluLimit=" + swigluLimit
                + ", slidingWindow=" + slidingWindow + ", slidingLayers=" + Arrays.toString(slidingLayers)
                + ", rope theta=" + ropeTheta + " factor=" + ropeScalingFactor + " alpha=" + ropeNtkAlpha
                + " beta=" + ropeNtkBeta + " initialContext=" + initialContextLength
                + ", maxContext=" + maxContext + ", eps=" + rmsNormEps
                + ", eos=" + Arrays.toString(eosTokenIds) + "]";
    }
}
