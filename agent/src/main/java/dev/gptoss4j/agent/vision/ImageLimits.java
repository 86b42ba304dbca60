package dev.gptoss4j.agent.vision;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Objects;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * How big an image may be when sent to a vision provider. Larger images are downscaled with {@code javax.imageio}
 * (PNG stays PNG when it has transparency, everything else becomes JPEG); an image that cannot be decoded (WebP,
 * which the JDK does not read) or not shrunk enough is refused with a message saying so. Remote URLs are left
 * alone: the provider fetches them.
 *
 * @param maxBytes     most bytes per image
 * @param maxDimension longest side in pixels; providers scale down beyond this anyway, so sending more is waste
 */
public record ImageLimits(int maxBytes, int maxDimension) {

    public ImageLimits {
        if (maxBytes < 1024) throw new IllegalArgumentException("maxBytes must be at least 1024, got " + maxBytes);
        if (maxDimension < 16)
            throw new IllegalArgumentException("maxDimension must be at least 16, got " + maxDimension);
    }

    /** 8 MiB and 2048 pixels: within OpenAI's limits (20 MB, and images are fit into 2048x2048). */
    public static ImageLimits defaults() {
        return new ImageLimits(8 * 1024 * 1024, 2048);
    }

    /**
     * {@link #fit} for a vision model's call: checks the question too, and reports an image that cannot be sent as
     * a {@link VisionException}, as every {@link VisionModel} does.
     */
    Image fitForQuestion(Image image, String question) {
        Objects.requireNonNull(image, "image");
        if (question == null || question.isBlank())
            throw new IllegalArgumentException("the question must not be blank");
        try {
            return fit(image);
        } catch (IllegalArgumentException e) {
            throw new VisionException(e.getMessage(), e);
        }
    }

    /**
     * The image to send: {@code image} itself when it is within the limits, else a downscaled copy.
     *
     * @throws IllegalArgumentException when it is too big and cannot be downscaled
     */
    public Image fit(Image image) {
        if (image.isRemote()) return image;
        byte[] bytes = image.bytes();
        int[] size = dimensions(bytes);
        boolean tooLarge = size != null && Math.max(size[0], size[1]) > maxDimension;
        if (bytes.length <= maxBytes && !tooLarge) return image;
        String why = bytes.length > maxBytes
                ? image.source() + " is " + bytes.length + " bytes, over the limit of " + maxBytes
                : image.source() + " is " + size[0] + "x" + size[1] + " pixels, over the limit of " + maxDimension;
        BufferedImage decoded;
        try {
            decoded = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(why + ", and it cannot be decoded to shrink it: " + e.getMessage());
        }
        if (decoded == null) {
            throw new IllegalArgumentException(why + ", and javax.imageio cannot decode " + image.mimeType()
                    + " to shrink it; convert it to PNG or JPEG, or make it smaller");
        }
        boolean alpha = decoded.getColorModel().hasAlpha();
        double scale = Math.min(1.0, (double) maxDimension / Math.max(decoded.getWidth(), decoded.getHeight()));
        for (int attempt = 0; attempt < 10; attempt++) {
            int w = Math.max(1, (int) Math.round(decoded.getWidth() * scale));
            int h = Math.max(1, (int) Math.round(decoded.getHeight() * scale));
            byte[] out = encode(resize(decoded, w, h, alpha), alpha);
            if (out.length <= maxBytes) return image.withBytes(out, alpha ? "image/png" : "image/jpeg");
            scale *= 0.7;
        }
        throw new IllegalArgumentException(why + ", and stays over it even downscaled; make it smaller");
    }

    /** Width and height from the image header, without decoding the pixels; null when unreadable. */
    static int[] dimensions(byte[] bytes) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            if (in == null) return null;
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) return null;
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static BufferedImage resize(BufferedImage src, int w, int h, boolean alpha) {
        BufferedImage dst = new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(src, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return dst;
    }

    private static byte[] encode(BufferedImage img, boolean png) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (png) {
                ImageIO.write(img, "png", out);
            } else {
                ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
                ImageWriteParam p = writer.getDefaultWriteParam();
                p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                p.setCompressionQuality(0.85f);
                try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
                    writer.setOutput(ios);
                    writer.write(null, new IIOImage(img, null, null), p);
                } finally {
                    writer.dispose();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a downscaled image: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }
}
