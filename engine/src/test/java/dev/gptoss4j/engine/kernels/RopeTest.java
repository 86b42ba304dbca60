package dev.gptoss4j.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RopeTest {

    @Test
    void withoutScalingItIsPlainRotaryEmbedding() {
        Rope rope = new Rope(8, 10000, 1.0, 4096, 1, 32);
        float[] cos = new float[4];
        float[] sin = new float[4];
        rope.angles(3, cos, sin);
        for (int i = 0; i < 4; i++) {
            double theta = 3 / Math.pow(10000, 2.0 * i / 8);
            assertEquals(Math.cos(theta), cos[i], 1e-6);
            assertEquals(Math.sin(theta), sin[i], 1e-6);
        }
        float[] x = {1, 0, 0, 0, 0, 0, 0, 0};
        rope.rotate(x, 0, 1, cos, sin);
        assertEquals(cos[0], x[0], 0);
        assertEquals(sin[0], x[4], 0); // halves pair up: x[i] with x[i + d/2]
    }

    @Test
    void yarnScalesByConcentrationAndInterpolatesLowFrequencies() {
        Rope rope = new Rope(64, 150000, 32.0, 4096, 1.0, 32.0);
        float[] cos = new float[32];
        float[] sin = new float[32];
        rope.angles(0, cos, sin);
        assertEquals(0.1 * Math.log(32) + 1, cos[0], 1e-6); // concentration at angle 0
        rope.angles(1, cos, sin);
        double c = 0.1 * Math.log(32) + 1;
        // highest frequency (i = 0) is extrapolated: angle 1; lowest (i = 31) interpolated: angle / 32
        assertEquals(Math.cos(1.0) * c, cos[0], 1e-5);
        double lowest = 1 / Math.pow(150000, 62.0 / 64) / 32;
        assertEquals(Math.sin(lowest) * c, sin[31], 1e-9);
    }

    @Test
    void correctionRangeOutsideTheHeadIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Rope(4, 150000, 32.0, 4096, 1.0, 32.0));
    }
}
