package dev.gptoss4j.agent.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds a model's GGUF file in an Ollama model store, so a model pulled with {@code ollama pull gpt-oss:20b} is
 * used as it is rather than downloaded again. Ollama keeps
 * {@code manifests/<host>/<namespace>/<model>/<tag>} (a JSON image manifest whose layer of media type
 * {@code application/vnd.ollama.image.model} is the weights) and {@code blobs/sha256-<hex>} (the digest with its
 * ':' turned into '-'). Names default as Ollama's do: host {@code registry.ollama.ai}, namespace
 * {@code library}, tag {@code latest}.
 */
public final class OllamaStore {

    public static final String MODEL_MEDIA_TYPE = "application/vnd.ollama.image.model";

    private static final String DEFAULT_HOST = "registry.ollama.ai";
    private static final String DEFAULT_NAMESPACE = "library";
    private static final String DEFAULT_TAG = "latest";

    private final List<Path> roots;

    /** A store made of the given model folders, searched in order (those that do not exist are skipped). */
    public OllamaStore(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    public List<Path> roots() {
        return roots;
    }

    /** Whether {@code s} reads as an Ollama model name ({@code gpt-oss:20b}, {@code namespace/model:tag}). */
    public static boolean looksLikeName(String s) {
        return s != null && s.matches("([A-Za-z0-9.\\-]+/){0,2}[A-Za-z0-9_.\\-]+:[A-Za-z0-9_.\\-]+");
    }

    /**
     * The GGUF file of {@code name} when the store holds it whole (manifest, model layer, blob of the size the
     * manifest gives, starting with the GGUF magic); empty otherwise.
     */
    public Optional<Path> find(String name) {
        String[] parts = parse(name);
        if (parts == null) return Optional.empty();
        for (Path root : roots) {
            for (String[] candidate : List.of(parts, lower(parts))) {
                Path manifest = root.resolve("manifests")
                        .resolve(candidate[0])
                        .resolve(candidate[1])
                        .resolve(candidate[2])
                        .resolve(candidate[3]);
                Optional<Path> blob = modelBlob(root, manifest);
                if (blob.isPresent()) return blob;
            }
        }
        return Optional.empty();
    }

    /** {host, namespace, model, tag}, or null when {@code name} is not a model name. */
    static String[] parse(String name) {
        if (name == null) return null;
        String s = name.strip();
        if (s.startsWith("https://")) s = s.substring(8);
        else if (s.startsWith("http://")) s = s.substring(7);
        String tag = DEFAULT_TAG;
        int colon = s.lastIndexOf(':');
        if (colon > s.lastIndexOf('/')) {
            tag = s.substring(colon + 1);
            s = s.substring(0, colon);
        }
        String[] path = s.split("/", -1);
        String host = DEFAULT_HOST;
        String namespace = DEFAULT_NAMESPACE;
        String model;
        switch (path.length) {
            case 1 -> model = path[0];
            case 2 -> {
                namespace = path[0];
                model = path[1];
            }
            case 3 -> {
                host = path[0];
                namespace = path[1];
                model = path[2];
            }
            default -> {
                return null;
            }
        }
        String[] parts = {host, namespace, model, tag};
        for (String p : parts) {
            if (!p.matches("[A-Za-z0-9_.\\-]{1,128}") || p.equals(".") || p.equals("..")) return null;
        }
        return parts;
    }

    private static String[] lower(String[] parts) {
        String[] out = new String[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = parts[i].toLowerCase(Locale.ROOT);
        return out;
    }

    private static Optional<Path> modelBlob(Path root, Path manifest) {
        if (!Files.isRegularFile(manifest)) return Optional.empty();
        try {
            JsonNode json = new ObjectMapper().readTree(manifest.toFile());
            List<JsonNode> models = new ArrayList<>();
            for (JsonNode layer : json.path("layers")) {
                if (MODEL_MEDIA_TYPE.equals(layer.path("mediaType").asText())) models.add(layer);
            }
            if (models.size() != 1) return Optional.empty(); // none, or split weights the engine cannot take
            JsonNode layer = models.get(0);
            String digest = layer.path("digest").asText("");
            if (!digest.matches("sha256:[0-9a-f]{64}")) return Optional.empty();
            Path blob = root.resolve("blobs").resolve(digest.replace(':', '-'));
            if (!Files.isRegularFile(blob)) return Optional.empty();
            long size = layer.path("size").asLong(-1);
            if (size >= 0 && Files.size(blob) != size) return Optional.empty(); // a pull that did not finish
            return isGguf(blob) ? Optional.of(blob) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // unreadable manifest: not a usable model
        }
    }

    private static boolean isGguf(Path blob) throws IOException {
        try (InputStream in = Files.newInputStream(blob)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'G' && magic[1] == 'G' && magic[2] == 'U' && magic[3] == 'F';
        }
    }
}
