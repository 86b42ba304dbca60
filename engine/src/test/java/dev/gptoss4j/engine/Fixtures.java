package dev.gptoss4j.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The tiny conformance model (copied from shared/conformance/engine) and its PyTorch reference logits. */
public final class Fixtures {

    private Fixtures() {}

    public static Path tiny() {
        URL url = Fixtures.class.getResource("/conformance/engine/tiny");
        if (url == null) throw new IllegalStateException("test resource conformance/engine/tiny is missing");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path original() {
        return tiny().resolve("original");
    }

    public static Path hf() {
        return tiny().resolve("hf");
    }

    public static Path ggufF32() {
        return tiny().resolve("tiny-f32.gguf");
    }

    public static Path ggufBf16() {
        return tiny().resolve("tiny-bf16.gguf");
    }

    public static List<Path> allLayouts() {
        return List.of(original(), hf(), ggufF32(), ggufBf16());
    }

    /** One reference sequence: input tokens, logits at every position, 16 greedy continuation tokens. */
    public record Sequence(int[] tokens, float[][] logits, int[] greedy) {}

    private static List<Sequence> reference;

    public static synchronized List<Sequence> reference() {
        if (reference != null) return reference;
        try {
            JsonNode root =
                    new ObjectMapper().readTree(tiny().resolve("reference.json").toFile());
            List<Sequence> out = new ArrayList<>();
            for (JsonNode s : root.get("sequences")) {
                int[] tokens = ints(s.get("tokens"));
                int[] greedy = ints(s.get("greedy"));
                JsonNode rows = s.get("logits");
                float[][] logits = new float[rows.size()][];
                for (int i = 0; i < logits.length; i++) {
                    JsonNode row = rows.get(i);
                    logits[i] = new float[row.size()];
                    for (int j = 0; j < row.size(); j++)
                        logits[i][j] = (float) row.get(j).asDouble();
                }
                out.add(new Sequence(tokens, logits, greedy));
            }
            reference = List.copyOf(out);
            return reference;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }

    /** max |a - b| / max |b| over all rows. */
    public static double relativeError(float[][] ours, float[][] ref) {
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < ref.length; i++) {
            for (int j = 0; j < ref[i].length; j++) {
                maxDiff = Math.max(maxDiff, Math.abs(ours[i][j] - ref[i][j]));
                maxRef = Math.max(maxRef, Math.abs(ref[i][j]));
            }
        }
        return maxDiff / maxRef;
    }
}
