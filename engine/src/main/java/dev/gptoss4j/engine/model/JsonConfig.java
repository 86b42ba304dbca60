package dev.gptoss4j.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gptoss4j.engine.model.io.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Typed access to a config.json, with errors that name the file and the key. */
final class JsonConfig {

    private final Path file;
    private final JsonNode root;

    private JsonConfig(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    static JsonConfig read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file + ": missing config.json (expected the model's hyper-parameters)");
        }
        try {
            JsonNode root = new ObjectMapper().readTree(file.toFile());
            if (root == null || !root.isObject()) {
                throw new ModelFormatException(file + ": expected a JSON object");
            }
            return new JsonConfig(file, root);
        } catch (IOException e) {
            throw new ModelFormatException(file + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    JsonNode root() {
        return root;
    }

    Path file() {
        return file;
    }

    boolean has(String key) {
        return root.hasNonNull(key);
    }

    int requireInt(String key) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) throw new ModelFormatException(file + ": missing key \"" + key + "\"");
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            throw new ModelFormatException(file + ": key \"" + key + "\" should be an integer, got " + n);
        }
        return n.asInt();
    }

    int intOr(String key, int fallback) {
        return has(key) ? requireInt(key) : fallback;
    }

    double doubleOr(JsonNode node, String key, double fallback, String where) {
        JsonNode n = node.get(key);
        if (n == null || n.isNull()) return fallback;
        if (!n.isNumber())
            throw new ModelFormatException(file + ": key \"" + where + key + "\" should be a number, got " + n);
        return n.asDouble();
    }

    double doubleOr(String key, double fallback) {
        return doubleOr(root, key, fallback, "");
    }
}
