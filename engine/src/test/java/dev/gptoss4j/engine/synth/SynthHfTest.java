package dev.gptoss4j.engine.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthHfTest {

    @TempDir
    Path dir;

    SynthConfig config;

    @BeforeEach
    void fixtureConfig() throws IOException {
        config = SynthConfig.fromHfConfig(TestFiles.resourceFile("tiny-fixture-config.json", dir));
    }

    @Test
    void fixtureConfigGivesExactlyTheFixturesLayout() throws IOException {
        Path out = dir.resolve("hf");
        List<Path> files = SynthHf.write(config, 1, out, SynthHf.DEFAULT_SHARD_BYTES, 2, n -> {});
        assertEquals(List.of(out.resolve("config.json"), out.resolve("model.safetensors")), files);

        JsonNode ours =
                TestFiles.readSafetensors(out.resolve("model.safetensors")).header();
        JsonNode fixture = TestFiles.resourceJson("tiny-fixture-safetensors-header.json");
        assertEquals(fixture, ours, "names, dtypes, shapes and byte ranges of the conformance fixture");
        long dataEnd = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = ours.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> t = it.next();
            if (!t.getKey().equals("__metadata__"))
                dataEnd = Math.max(
                        dataEnd, t.getValue().get("data_offsets").get(1).asLong());
        }
        TestFiles.Safetensors s = TestFiles.readSafetensors(out.resolve("model.safetensors"));
        assertEquals(0, (s.dataStart() - 8) % 8, "header padded to 8 bytes");
        assertEquals(s.dataStart() + dataEnd, Files.size(out.resolve("model.safetensors")));

        JsonNode config = new ObjectMapper().readTree(out.resolve("config.json").toFile());
        JsonNode fixtureConfig = TestFiles.resourceJson("tiny-fixture-config.json");
        for (Iterator<String> it = fixtureConfig.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            assertEquals(fixtureConfig.get(key), config.get(key), "config.json " + key);
        }
    }

    @Test
    void shardsAndIndexAgree() throws IOException {
        Path out = dir.resolve("sharded");
        long limit = 300_000;
        List<Path> files = SynthHf.write(config, 2, out, limit, 2, n -> {});
        JsonNode index = new ObjectMapper().readTree(out.resolve(SynthHf.INDEX).toFile());
        JsonNode weightMap = index.get("weight_map");

        Set<String> shardNames = new TreeSet<>();
        weightMap.forEach(f -> shardNames.add(f.asText()));
        int n = shardNames.size();
        assertTrue(n >= 4, "a 1.4 MB model in 300 KB shards, got " + n);
        List<String> expectedNames = new ArrayList<>();
        for (int i = 1; i <= n; i++) expectedNames.add(String.format("model-%05d-of-%05d.safetensors", i, n));
        assertEquals(expectedNames, new ArrayList<>(shardNames));
        assertEquals(n + 2, files.size(), "config, shards, index");

        long total = 0;
        Set<String> seen = new HashSet<>();
        for (String shard : shardNames) {
            Path file = out.resolve(shard);
            TestFiles.Safetensors s = TestFiles.readSafetensors(file);
            long data = 0;
            int tensors = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = s.header().fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> t = it.next();
                if (t.getKey().equals("__metadata__")) continue;
                tensors++;
                assertTrue(seen.add(t.getKey()), t.getKey() + " in two shards");
                assertEquals(shard, weightMap.get(t.getKey()).asText(), "index entry of " + t.getKey());
                JsonNode range = t.getValue().get("data_offsets");
                assertEquals(data, range.get(0).asLong(), t.getKey() + " follows the previous tensor");
                data = range.get(1).asLong();
            }
            assertEquals(s.dataStart() + data, Files.size(file), shard + " size");
            assertTrue(data <= limit || tensors == 1, shard + " holds " + data + " bytes in " + tensors + " tensors");
            total += data;
        }
        assertEquals(weightMap.size(), seen.size(), "every indexed tensor is in its shard");
        assertEquals(total, index.get("metadata").get("total_size").asLong());
        assertEquals(
                TestFiles.resourceJson("tiny-fixture-safetensors-header.json").size() - 1, seen.size());
    }

    @Test
    void sameSeedSameFiles() throws IOException {
        Path a = dir.resolve("a"), b = dir.resolve("b"), c = dir.resolve("c");
        List<Path> fa = SynthHf.write(config, 4, a, 500_000, 2, n -> {});
        List<Path> fb = SynthHf.write(config, 4, b, 500_000, 1, n -> {});
        SynthHf.write(config, 5, c, 500_000, 2, n -> {});
        assertEquals(fa.size(), fb.size());
        for (Path f : fa) {
            Path other = b.resolve(a.relativize(f));
            assertEquals(-1, Files.mismatch(f, other), f.getFileName() + " differs between runs");
        }
        Path shard = a.relativize(fa.get(1));
        assertTrue(Files.mismatch(a.resolve(shard), c.resolve(shard)) >= 0, "another seed, other weights");
    }
}
