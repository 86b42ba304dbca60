package dev.gptoss4j.engine.harmony;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads openai/harmony's test data from src/test/resources/conformance/harmony (see the README there). */
final class Fixtures {

    private Fixtures() {}

    /** The file's text with trailing whitespace removed, as the reference's tests read it (trim_end / rstrip). */
    static String text(String name) {
        String path = "/conformance/harmony/" + name;
        try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing test resource " + path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("\r\n", "\n")
                    .stripTrailing();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file of whitespace-separated token ids. */
    static int[] tokenIds(String name) {
        return Arrays.stream(text(name).split("\\s+"))
                .mapToInt(Integer::parseInt)
                .toArray();
    }
}
