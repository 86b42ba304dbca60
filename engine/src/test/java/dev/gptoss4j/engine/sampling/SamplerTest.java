package dev.gptoss4j.engine.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SamplerTest {

    /** Logits whose softmax is exactly {@code probs}. */
    static float[] logitsOf(double... probs) {
        float[] l = new float[probs.length];
        for (int i = 0; i < probs.length; i++) l[i] = (float) Math.log(probs[i]);
        return l;
    }

    static int[] histogram(SamplerConfig config, float[] logits, int draws) {
        Sampler s = new Sampler(config, logits.length);
        int[] counts = new int[logits.length];
        for (int i = 0; i < draws; i++) counts[s.sample(logits, new int[0], 0)]++;
        return counts;
    }

    static final float[] DIST = logitsOf(0.5, 0.3, 0.15, 0.05);

    @Test
    void greedyPicksTheArgmax() {
        Sampler s = new Sampler(SamplerConfig.greedy(), 4);
        assertEquals(0, s.sample(DIST, new int[0], 0));
        assertEquals(2, s.sample(new float[] {0, 1, 5, 4}, new int[0], 0));
    }

    @Test
    void sameSeedSameTokensOtherSeedOtherTokens() {
        SamplerConfig a = SamplerConfig.builder().temperature(1).seed(123).build();
        int[] x = new int[200];
        int[] y = new int[200];
        int[] z = new int[200];
        Sampler sx = new Sampler(a, 4);
        Sampler sy = new Sampler(a, 4);
        Sampler sz = new Sampler(a.toBuilder().seed(124).build(), 4);
        for (int i = 0; i < 200; i++) {
            x[i] = sx.sample(DIST, new int[0], 0);
            y[i] = sy.sample(DIST, new int[0], 0);
            z[i] = sz.sample(DIST, new int[0], 0);
        }
        assertArrayEquals(x, y);
        assertFalse(java.util.Arrays.equals(x, z));
    }

    @Test
    void plainSamplingFollowsTheDistribution() {
        int n = 40000;
        int[] c = histogram(SamplerConfig.builder().seed(1).build(), DIST, n);
        double[] p = {0.5, 0.3, 0.15, 0.05};
        for (int i = 0; i < 4; i++) assertEquals(p[i], c[i] / (double) n, 0.01, "token " + i);
    }

    @Test
    void temperatureSharpensAndFlattens() {
        int n = 40000;
        int[] cold = histogram(SamplerConfig.builder().temperature(0.5f).seed(2).build(), DIST, n);
        // p^(1/T) renormalized: 0.25, 0.09, 0.0225, 0.0025 over 0.365
        assertEquals(0.25 / 0.365, cold[0] / (double) n, 0.01);
        assertEquals(0.09 / 0.365, cold[1] / (double) n, 0.01);
    }

    @Test
    void topKKeepsOnlyTheKMostLikely() {
        int n = 20000;
        int[] c = histogram(SamplerConfig.builder().topK(2).seed(3).build(), DIST, n);
        assertEquals(0, c[2] + c[3]);
        assertEquals(0.5 / 0.8, c[0] / (double) n, 0.015);
        int[] one = histogram(SamplerConfig.builder().topK(1).seed(3).build(), DIST, 100);
        assertEquals(100, one[0]);
    }

    @Test
    void topPKeepsTheSmallestSetReachingP() {
        int[] c = histogram(SamplerConfig.builder().topP(0.8f).seed(4).build(), DIST, 20000);
        assertEquals(0, c[2] + c[3]); // 0.5 + 0.3 reaches 0.8
        assertTrue(c[1] > 0);
        int[] d = histogram(SamplerConfig.builder().topP(0.81f).seed(4).build(), DIST, 20000);
        assertTrue(d[2] > 0);
        assertEquals(0, d[3]);
        int[] e = histogram(SamplerConfig.builder().topP(0.3f).seed(4).build(), DIST, 1000);
        assertEquals(1000, e[0]);
    }

    @Test
    void minPDropsTokensFarBelowTheBest() {
        int[] c = histogram(SamplerConfig.builder().minP(0.5f).seed(5).build(), DIST, 20000);
        assertEquals(0, c[2] + c[3]); // 0.15 < 0.5 * 0.5
        assertTrue(c[1] > 0); // 0.3 >= 0.25
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogits() {
        SamplerConfig cfg =
                SamplerConfig.builder().temperature(0).repetitionPenalty(1.1f).build();
        Sampler s = new Sampler(cfg, 3);
        assertEquals(1, s.sample(new float[] {2.0f, 1.9f, 0}, new int[] {0}, 1)); // 2.0/1.1 < 1.9
        assertEquals(0, s.sample(new float[] {2.0f, 1.9f, 0}, new int[] {2}, 1)); // penalty on another token
        assertEquals(1, s.sample(new float[] {-1.0f, -1.05f, -5}, new int[] {0}, 1)); // -1.1 < -1.05
        // outside the penalty window: no effect
        SamplerConfig windowed = cfg.toBuilder().penaltyLastN(1).build();
        assertEquals(0, new Sampler(windowed, 3).sample(new float[] {2.0f, 1.9f, 0}, new int[] {0, 2}, 2));
    }

    @Test
    void presenceAndFrequencyPenaltiesSubtract() {
        Sampler presence = new Sampler(
                SamplerConfig.builder().temperature(0).presencePenalty(0.5f).build(), 2);
        assertEquals(1, presence.sample(new float[] {1.0f, 0.6f}, new int[] {0}, 1));
        Sampler frequency = new Sampler(
                SamplerConfig.builder().temperature(0).frequencyPenalty(0.15f).build(), 2);
        assertEquals(0, frequency.sample(new float[] {1.0f, 0.6f}, new int[] {0, 0}, 2)); // 1.0 - 0.3 = 0.7
        assertEquals(1, frequency.sample(new float[] {1.0f, 0.6f}, new int[] {0, 0, 0}, 3)); // 0.55
    }

    @Test
    void logitBiasForcesAndForbids() {
        Sampler force = new Sampler(
                SamplerConfig.builder().temperature(0).logitBias(Map.of(3, 10f)).build(), 4);
        assertEquals(3, force.sample(DIST, new int[0], 0));
        int[] c = histogram(
                SamplerConfig.builder()
                        .logitBias(Map.of(0, Float.NEGATIVE_INFINITY))
                        .seed(6)
                        .build(),
                DIST,
                5000);
        assertEquals(0, c[0]);
        assertEquals(0.3 / 0.5, c[1] / 5000.0, 0.03);
    }

    @Test
    void logprobIsOfTheModelDistribution() {
        Sampler s = new Sampler(
                SamplerConfig.builder().temperature(0.2f).topK(1).seed(7).build(), 4);
        int t = s.sample(DIST, new int[0], 0);
        assertEquals(0, t);
        assertEquals(Math.log(0.5), s.lastLogprob(), 1e-6);
    }

    @Test
    void logitsAreNotModified() {
        float[] logits = DIST.clone();
        new Sampler(
                        SamplerConfig.builder()
                                .repetitionPenalty(2f)
                                .logitBias(Map.of(1, 3f))
                                .seed(8)
                                .build(),
                        4)
                .sample(logits, new int[] {0}, 1);
        assertArrayEquals(DIST, logits);
    }

    @Test
    void badConfigurationsAreRejected() {
        assertThrows(
                IllegalArgumentException.class,
                () -> SamplerConfig.builder().topP(0).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> SamplerConfig.builder().topK(-1).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> SamplerConfig.builder().minP(2).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> SamplerConfig.builder().repetitionPenalty(0).build());
    }
}
