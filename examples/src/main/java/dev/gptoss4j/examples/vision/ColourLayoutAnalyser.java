package dev.gptoss4j.examples.vision;

import dev.gptoss4j.agent.vision.Image;
import dev.gptoss4j.agent.vision.VisionException;
import dev.gptoss4j.agent.vision.VisionModel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * An offline stand-in for a vision model, so the vision bot runs without a cloud account: it is not a model and
 * does not read the question. It decodes the image and reports its size and which named colours cover each third
 * of it, left to right and top to bottom. That is enough to tell a striped flag, and it is computed from the
 * pixels, not made up.
 */
public final class ColourLayoutAnalyser implements VisionModel {

    /** Colours a person would name, as sRGB; each pixel counts as the nearest one. */
    private static final Map<String, int[]> PALETTE = new LinkedHashMap<>();

    static {
        PALETTE.put("black", new int[] {0, 0, 0});
        PALETTE.put("grey", new int[] {128, 128, 128});
        PALETTE.put("white", new int[] {255, 255, 255});
        PALETTE.put("red", new int[] {220, 30, 40});
        PALETTE.put("orange", new int[] {255, 140, 0});
        PALETTE.put("yellow", new int[] {255, 215, 0});
        PALETTE.put("green", new int[] {0, 140, 60});
        PALETTE.put("blue", new int[] {0, 70, 170});
        PALETTE.put("light blue", new int[] {120, 180, 230});
        PALETTE.put("purple", new int[] {120, 40, 140});
        PALETTE.put("pink", new int[] {240, 130, 170});
        PALETTE.put("brown", new int[] {120, 70, 30});
    }

    /** Shares below this are left out of a region's description. */
    private static final double SHOWN_SHARE = 0.05;

    @Override
    public String analyze(Image image, String question) {
        if (image.isRemote()) {
            throw new VisionException("the offline colour analyser reads only attached image bytes, not URLs");
        }
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(image.bytes()));
        } catch (IOException e) {
            throw new VisionException("cannot decode the image: " + e.getMessage(), e);
        }
        if (img == null) throw new VisionException("cannot decode the image (" + image.mimeType() + ")");
        int w = img.getWidth(), h = img.getHeight();
        List<String> columns = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        String[] thirds = {"left", "middle", "right"};
        String[] bands = {"top", "middle", "bottom"};
        for (int i = 0; i < 3; i++) {
            columns.add(thirds[i] + ": " + describe(img, w * i / 3, 0, w * (i + 1) / 3, h));
            rows.add(bands[i] + ": " + describe(img, 0, h * i / 3, w, h * (i + 1) / 3));
        }
        return "Offline colour analysis (not a vision model; the question is not read). The image is " + w + "×" + h
                + " pixels. Colours by vertical third, " + String.join("; ", columns)
                + ". Colours by horizontal third, " + String.join("; ", rows) + ".";
    }

    /** The named colours of a region with their shares, largest first. */
    private static String describe(BufferedImage img, int x0, int y0, int x1, int y1) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        int total = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                counts.merge(nearest(img.getRGB(x, y)), 1, Integer::sum);
                total++;
            }
        }
        if (total == 0) return "empty";
        int all = total;
        List<String> parts = new ArrayList<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .filter(e -> e.getValue() >= SHOWN_SHARE * all)
                .forEach(e -> parts.add(e.getKey() + " " + Math.round(100.0 * e.getValue() / all) + "%"));
        return String.join(", ", parts);
    }

    private static String nearest(int argb) {
        int r = argb >> 16 & 0xff, g = argb >> 8 & 0xff, b = argb & 0xff;
        String best = null;
        long bestDistance = Long.MAX_VALUE;
        for (var e : PALETTE.entrySet()) {
            int[] c = e.getValue();
            long d = (long) (r - c[0]) * (r - c[0]) + (long) (g - c[1]) * (g - c[1]) + (long) (b - c[2]) * (b - c[2]);
            if (d < bestDistance) {
                bestDistance = d;
                best = e.getKey();
            }
        }
        return best;
    }

    @Override
    public String name() {
        return "offline colour analyser";
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
