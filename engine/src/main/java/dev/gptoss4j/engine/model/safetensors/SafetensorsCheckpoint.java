package dev.gptoss4j.engine.model.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gptoss4j.engine.model.io.ModelFormatException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The safetensors files of one checkpoint directory: the shards named by {@code model.safetensors.index.json}
 * when there is one (each must exist and hold the tensors the index gives it), otherwise every
 * {@code *.safetensors} file in the directory.
 */
public final class SafetensorsCheckpoint {

    /** Where a tensor lives. */
    public record Located(SafetensorsFile file, SafetensorsFile.TensorInfo info) {}

    private final Path directory;
    private final Map<String, Located> tensors;
    private final String searched;

    private SafetensorsCheckpoint(Path directory, Map<String, Located> tensors) {
        this.directory = directory;
        this.tensors = tensors;
        java.util.Set<String> files = new java.util.TreeSet<>();
        for (Located l : tensors.values())
            files.add(String.valueOf(l.file().path().getFileName()));
        this.searched = files.size() <= 3 ? String.join(", ", files) : files.size() + " safetensors files";
    }

    public static SafetensorsCheckpoint open(Path directory, Arena arena) {
        Path index = directory.resolve("model.safetensors.index.json");
        Map<String, Located> tensors = new LinkedHashMap<>();
        if (Files.isRegularFile(index)) {
            Map<String, List<String>> byShard = readIndex(index);
            for (Map.Entry<String, List<String>> shard : byShard.entrySet()) {
                Path file = directory.resolve(shard.getKey()).normalize();
                if (!file.startsWith(directory.normalize()) || !Files.isRegularFile(file)) {
                    throw new ModelFormatException(index + ": missing shard " + shard.getKey()
                            + " (named for " + shard.getValue().size() + " tensors, e.g. "
                            + shard.getValue().getFirst() + ")");
                }
                SafetensorsFile sf = SafetensorsFile.open(file, arena);
                for (String name : shard.getValue()) {
                    SafetensorsFile.TensorInfo info = sf.tensors().get(name);
                    if (info == null) {
                        throw new ModelFormatException(file + ": missing tensor " + name + " (the index "
                                + index.getFileName() + " places it in this shard)");
                    }
                    tensors.put(name, new Located(sf, info));
                }
            }
        } else {
            List<Path> files;
            try (Stream<Path> s = Files.list(directory)) {
                files = new ArrayList<>(s.filter(p -> p.getFileName().toString().endsWith(".safetensors"))
                        .sorted()
                        .toList());
            } catch (IOException e) {
                throw new ModelFormatException(directory + ": cannot list the directory: " + e.getMessage(), e);
            }
            if (files.isEmpty()) {
                throw new ModelFormatException(directory + ": no model.safetensors, shard index or *.safetensors file");
            }
            for (Path file : files) {
                SafetensorsFile sf = SafetensorsFile.open(file, arena);
                for (SafetensorsFile.TensorInfo info : sf.tensors().values()) {
                    tensors.put(info.name(), new Located(sf, info));
                }
            }
        }
        return new SafetensorsCheckpoint(directory, tensors);
    }

    private static Map<String, List<String>> readIndex(Path index) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(index.toFile());
        } catch (IOException e) {
            throw new ModelFormatException(index + ": not valid JSON: " + e.getMessage(), e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new ModelFormatException(index + ": expected a \"weight_map\" object");
        }
        Map<String, List<String>> byShard = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new ModelFormatException(index + ": weight_map entry " + e.getKey() + " is not a file name");
            }
            byShard.computeIfAbsent(e.getValue().asText(), k -> new ArrayList<>())
                    .add(e.getKey());
        }
        return byShard;
    }

    public Path directory() {
        return directory;
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** The tensor, or a {@link ModelFormatException} naming it and the directory. */
    public Located get(String name) {
        Located t = tensors.get(name);
        if (t == null)
            throw new ModelFormatException(directory + ": missing tensor " + name + " (searched " + searched + ")");
        return t;
    }

    public Map<String, Located> tensors() {
        return tensors;
    }
}
