package dev.gptoss4j.engine.kernels;

/**
 * Rotary position embedding with YaRN scaling, as gpt-oss's reference {@code RotaryEmbedding} computes it:
 * NTK-by-parts blend of interpolated and extrapolated frequencies over a linear ramp between the correction
 * dimensions {@code low} and {@code high} (not rounded), and the YaRN "concentration" {@code 0.1 ln(s) + 1}
 * multiplied into cos and sin. Rotation pairs are the two halves of a head (x[i], x[i + d/2]).
 */
public final class Rope {

    private final int headDim;
    private final float[] invFreq;
    private final float concentration;

    public Rope(
            int headDim, double base, double scalingFactor, int initialContextLength, double ntkAlpha, double ntkBeta) {
        this.headDim = headDim;
        int half = headDim / 2;
        float[] freq = new float[half];
        for (int i = 0; i < half; i++) freq[i] = (float) Math.pow(base, (2.0 * i) / headDim);
        invFreq = new float[half];
        if (scalingFactor > 1.0) {
            concentration = (float) (0.1 * Math.log(scalingFactor) + 1.0);
            double dHalf = half;
            double low = dHalf * Math.log(initialContextLength / (ntkBeta * 2 * Math.PI)) / Math.log(base);
            double high = dHalf * Math.log(initialContextLength / (ntkAlpha * 2 * Math.PI)) / Math.log(base);
            if (!(0 < low && low < high && high < dHalf - 1)) {
                throw new IllegalArgumentException("YaRN correction range [" + low + ", " + high
                        + "] must lie inside (0, " + (dHalf - 1) + ") for head dimension " + headDim);
            }
            for (int i = 0; i < half; i++) {
                float interpolation = (float) (1.0 / (scalingFactor * freq[i]));
                float extrapolation = 1.0f / freq[i];
                float ramp = (float) ((i - low) / (high - low));
                float mask = 1f - Math.max(0f, Math.min(1f, ramp));
                invFreq[i] = interpolation * (1 - mask) + extrapolation * mask;
            }
        } else {
            concentration = 1.0f;
            for (int i = 0; i < half; i++) invFreq[i] = 1.0f / freq[i];
        }
    }

    public int headDim() {
        return headDim;
    }

    /** Fills {@code cos} and {@code sin} (length headDim/2) for {@code position}, concentration included. */
    public void angles(int position, float[] cos, float[] sin) {
        angles(position, cos, sin, 0);
    }

    /** {@link #angles(int, float[], float[])} written at {@code off}. */
    public void angles(int position, float[] cos, float[] sin, int off) {
        for (int i = 0; i < invFreq.length; i++) {
            float angle = (float) position * invFreq[i];
            cos[off + i] = (float) Math.cos(angle) * concentration;
            sin[off + i] = (float) Math.sin(angle) * concentration;
        }
    }

    /** Rotates {@code heads} consecutive heads of {@code x} starting at {@code offset}, in place. */
    public void rotate(float[] x, int offset, int heads, float[] cos, float[] sin) {
        rotate(x, offset, heads, cos, sin, 0);
    }

    /** {@link #rotate(float[], int, int, float[], float[])} with the angles at {@code angleOff}. */
    public void rotate(float[] x, int offset, int heads, float[] cos, float[] sin, int angleOff) {
        int half = headDim / 2;
        for (int h = 0; h < heads; h++) {
            int base = offset + h * headDim;
            if (VectorKernels.ENABLED) {
                VectorKernels.rotate(x, base, half, cos, sin, angleOff);
                continue;
            }
            for (int i = 0; i < half; i++) {
                float x1 = x[base + i];
                float x2 = x[base + half + i];
                float c = cos[angleOff + i];
                float s = sin[angleOff + i];
                x[base + i] = x1 * c - x2 * s;
                x[base + half + i] = x2 * c + x1 * s;
            }
        }
    }
}
