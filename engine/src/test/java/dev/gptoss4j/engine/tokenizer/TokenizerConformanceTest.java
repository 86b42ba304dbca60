package dev.gptoss4j.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of conformance/tokenizer/cases.jsonl (ids made by the reference gpt-oss tokenizer, see the README
 * beside it) must come out exactly, in both directions.
 */
class TokenizerConformanceTest {

    private static final Tokenizer TOKENIZER = Tokenizer.o200kHarmony();
    private static final String CASES = "/conformance/tokenizer/cases.jsonl";

    record Case(int line, String text, int[] ids) {
        @Override
        public String toString() {
            String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
            return "line " + line + ": "
                    + shown.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        }
    }

    static List<Case> cases() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Case> cases = new ArrayList<>();
        try (InputStream in = TokenizerConformanceTest.class.getResourceAsStream(CASES)) {
            if (in == null) throw new IllegalStateException("test resource missing: " + CASES);
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            int lineNo = 0;
            for (String line; (line = lines.readLine()) != null; ) {
                lineNo++;
                if (line.isBlank()) continue;
                JsonNode node = json.readTree(line);
                int[] ids = new int[node.get("ids").size()];
                for (int i = 0; i < ids.length; i++)
                    ids[i] = node.get("ids").get(i).intValue();
                cases.add(new Case(lineNo, node.get("text").textValue(), ids));
            }
        }
        return cases;
    }

    static Stream<Arguments> caseArguments() throws IOException {
        return cases().stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("caseArguments")
    void encodesToTheReferenceIds(Case c) {
        assertArrayEquals(c.ids(), TOKENIZER.encode(c.text()), c.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("caseArguments")
    void decodesTheReferenceIdsToTheText(Case c) {
        assertEquals(c.text(), TOKENIZER.decode(c.ids()), c.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("caseArguments")
    void streamsTheReferenceIdsToTheText(Case c) {
        StreamingDecoder stream = TOKENIZER.streamingDecoder();
        StringBuilder text = new StringBuilder();
        for (int id : c.ids()) text.append(stream.accept(id));
        text.append(stream.finish());
        assertEquals(c.text(), text.toString(), c.toString());
    }

    @Test
    void theFixtureIsTheWholeFile() throws IOException {
        // A truncated copy would pass the per-case tests vacuously.
        assertTrue(cases().size() >= 39, "expected at least 39 conformance cases, found " + cases().size());
    }
}
