package dev.gptoss4j.engine.constrain;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JsonSchemaGrammarTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final String WEATHER = """
            {"type":"object","properties":{
               "location":{"type":"string","maxLength":12},
               "unit":{"enum":["celsius","fahrenheit"]},
               "days":{"type":"integer"},
               "alerts":{"type":"boolean"},
               "tags":{"type":"array","items":{"type":"string","maxLength":5},"maxItems":3},
               "note":{"type":["string","null"],"maxLength":8}
             },
             "required":["location","unit"]}""";

    @Test
    void objectsFollowPropertiesRequiredAndTypes() {
        JsonSchemaGrammar g = JsonSchemaGrammar.compile(WEATHER);
        assertTrue(g.accepts("{\"location\":\"Paris\",\"unit\":\"celsius\"}"));
        assertTrue(g.accepts("{\"unit\":\"fahrenheit\",\"location\":\"Oslo\",\"days\":-3,\"alerts\":true}"));
        assertTrue(g.accepts("{\"location\":\"\",\"unit\":\"celsius\",\"tags\":[\"a\",\"bb\"],\"note\":null}"));
        assertTrue(g.accepts("{\"location\":\"x\",\"unit\":\"celsius\",\"tags\":[],\"note\":\"hi\"}"));
        assertFalse(g.accepts("{\"location\":\"Paris\"}"), "unit is required");
        assertFalse(g.accepts("{\"location\":\"Paris\",\"unit\":\"kelvin\"}"), "not in the enum");
        assertFalse(g.accepts("{\"location\":\"Paris\",\"unit\":\"celsius\",\"days\":1.5}"), "integer");
        assertFalse(g.accepts("{\"location\":\"Paris\",\"unit\":\"celsius\",\"city\":\"x\"}"), "undeclared");
        assertFalse(g.accepts("{\"location\":\"Paris\",\"location\":\"Rome\",\"unit\":\"celsius\"}"), "twice");
        assertFalse(g.accepts("{\"location\":\"Paris, France!\",\"unit\":\"celsius\"}"), "maxLength 12");
        assertFalse(
                g.accepts("{\"location\":\"x\",\"unit\":\"celsius\",\"tags\":[\"a\",\"b\",\"c\",\"d\"]}"), "maxItems");
        assertFalse(g.accepts("{\"location\":\"x\",\"unit\":\"celsius\",}"), "trailing comma");
        assertFalse(g.accepts("{\"location\":\"x\",\"unit\":\"celsius\"} "), "trailing whitespace");
        assertFalse(g.accepts("{ \"location\":\"x\",\"unit\":\"celsius\"}"), "no whitespace by default");
        assertFalse(g.accepts("[]"));
    }

    @Test
    void whitespaceIsLimitedPerPlace() {
        JsonSchemaGrammar g = JsonSchemaGrammar.compile(JsonSchemaGrammarTest.schema(WEATHER), 2);
        assertTrue(g.accepts("{ \"location\" : \"x\",\n \"unit\":\t\"celsius\" }"));
        assertFalse(g.accepts("{   \"location\":\"x\",\"unit\":\"celsius\"}"), "three spaces");
    }

    @Test
    void stringsAreValidUtf8WithEscapesAndCountedInCharacters() {
        JsonSchemaGrammar g = JsonSchemaGrammar.compile("{\"type\":\"string\",\"minLength\":2,\"maxLength\":3}");
        assertTrue(g.accepts("\"été\"")); // 3 characters, 5 bytes
        assertTrue(g.accepts("\"\\u00e9\\n\"")); // 2 escapes
        assertTrue(g.accepts("\"😀x\""));
        assertFalse(g.accepts("\"a\""), "minLength");
        assertFalse(g.accepts("\"abcd\""), "maxLength");
        assertFalse(g.accepts("\"a\tb\""), "raw control character");
        assertFalse(g.accepts("\"\\x\""), "bad escape");
        assertFalse(g.accepts("\"\\u00g0\""), "bad hex");
        GrammarState s = g.start().step('"').step(new byte[] {'a'});
        assertNull(s.step(0xC0), "overlong lead byte");
        assertNull(s.step(0xE0).step(0x80), "overlong three-byte form");
        assertNull(s.step(0xED).step(0xA0), "UTF-16 surrogate");
        assertNull(s.step(0xC3).step('"'), "unfinished character");
    }

    @Test
    void numbersFollowJsonSyntaxAndEndOnlyWhereTheyMay() {
        JsonSchemaGrammar n = JsonSchemaGrammar.compile("{\"type\":\"number\"}");
        for (String ok : List.of("0", "-0", "12", "-3.25", "1e9", "2.5E-3", "6e+2")) assertTrue(n.accepts(ok), ok);
        for (String bad : List.of("01", "-", "1.", ".5", "1e", "1e+", "+1", "1.2.3", "--1"))
            assertFalse(n.accepts(bad), bad);
        JsonSchemaGrammar i = JsonSchemaGrammar.compile("{\"type\":\"integer\"}");
        assertTrue(i.accepts("-42"));
        assertFalse(i.accepts("4.0"));
        assertFalse(i.accepts("4e2"));
        assertFalse(n.accepts("1".repeat(JsonState.MAX_NUMBER_LENGTH + 1)), "length cap");
        assertTrue(n.accepts("1".repeat(JsonState.MAX_NUMBER_LENGTH)));
        // incremental: "12" is complete, "12." is not, "12.5" is again
        GrammarState s = n.start().step("12".getBytes(StandardCharsets.UTF_8));
        assertTrue(s.isComplete());
        assertFalse(s.step('.').isComplete());
        assertTrue(s.step('.').step('5').isComplete());
    }

    @Test
    void enumsConstsAnyOfAndNullable() {
        JsonSchemaGrammar e = JsonSchemaGrammar.compile("{\"enum\":[1,10,\"a\",null,{\"k\":[true]}]}");
        for (String ok : List.of("1", "10", "\"a\"", "null", "{\"k\":[true]}")) assertTrue(e.accepts(ok), ok);
        for (String bad : List.of("100", "\"b\"", "true", "0")) assertFalse(e.accepts(bad), bad);
        JsonSchemaGrammar c = JsonSchemaGrammar.compile("{\"const\":\"only\"}");
        assertTrue(c.accepts("\"only\""));
        assertFalse(c.accepts("\"onl\""));
        JsonSchemaGrammar any = JsonSchemaGrammar.compile(
                "{\"anyOf\":[{\"type\":\"string\",\"maxLength\":1},{\"type\":\"array\",\"items\":{\"type\":\"integer\"},\"minItems\":2}]}");
        assertTrue(any.accepts("\"x\""));
        assertTrue(any.accepts("[1,2,3]"));
        assertFalse(any.accepts("[1]"), "minItems");
        assertFalse(any.accepts("\"xy\""));
        JsonSchemaGrammar nullable = JsonSchemaGrammar.compile("{\"type\":\"boolean\",\"nullable\":true}");
        assertTrue(nullable.accepts("false"));
        assertTrue(nullable.accepts("null"));
        assertFalse(nullable.accepts("0"));
    }

    @Test
    void anEmptySchemaAllowsAnyValueButOnlyEmptyObjects() {
        JsonSchemaGrammar g = JsonSchemaGrammar.compile("{}");
        for (String ok : List.of("1", "\"s\"", "[1,[\"x\",null],[]]", "true", "{}", "[{}]"))
            assertTrue(g.accepts(ok), ok);
        assertFalse(g.accepts("{\"a\":1}"));
        JsonSchemaGrammar noProps = JsonSchemaGrammar.compile("{\"type\":\"object\"}");
        assertTrue(noProps.accepts("{}"));
        assertNull(noProps.start().step('{').step(0), "no key can start in an object without properties");
    }

    @Test
    void completionIsDetectedOnlyAtTheEndOfTheDocument() {
        JsonSchemaGrammar g = JsonSchemaGrammar.compile(WEATHER);
        String doc = "{\"location\":\"Rome\",\"unit\":\"celsius\",\"days\":7}";
        GrammarState s = g.start();
        for (int i = 0; i < doc.length(); i++) {
            assertFalse(s.isComplete(), "complete too early at " + i);
            s = s.step(doc.charAt(i));
            assertNotNull(s, "rejected at " + i + ": " + doc.substring(0, i + 1));
        }
        assertTrue(s.isComplete());
        assertNull(s.step('}'));
    }

    @Test
    void unsupportedKeywordsAreNamedWithTheirPlace() {
        UnsupportedSchemaException e = assertThrows(
                UnsupportedSchemaException.class,
                () -> JsonSchemaGrammar.compile(
                        "{\"type\":\"object\",\"properties\":{\"zip\":{\"type\":\"string\",\"pattern\":\"[0-9]+\"}}}"));
        assertTrue(e.getMessage().contains("#/properties/zip") && e.getMessage().contains("'pattern'"), e.getMessage());
        assertThrows(UnsupportedSchemaException.class, () -> JsonSchemaGrammar.compile("{\"$ref\":\"#/x\"}"));
        assertThrows(UnsupportedSchemaException.class, () -> JsonSchemaGrammar.compile("{\"type\":\"date\"}"));
        assertThrows(
                UnsupportedSchemaException.class,
                () -> JsonSchemaGrammar.compile("{\"type\":\"string\",\"minLength\":3,\"maxLength\":2}"));
        assertThrows(UnsupportedSchemaException.class, () -> JsonSchemaGrammar.compile("{\"enum\":[]}"));
        assertThrows(IllegalArgumentException.class, () -> JsonSchemaGrammar.compile("{not json"));
    }

    /**
     * Random walks over bytes: whatever path the grammar allows ends in a document that Jackson parses and that
     * keeps the schema's rules; and no walk ever gets stuck (every state offered is viable).
     */
    @Test
    void randomWalksAlwaysFinishWithValidDocuments() throws Exception {
        JsonSchemaGrammar g = JsonSchemaGrammar.compile(schema(WEATHER), 1);
        SplittableRandom random = new SplittableRandom(7);
        for (int walk = 0; walk < 300; walk++) {
            String doc = randomDocument(g.start(), random, 400);
            JsonNode json = JSON.readTree(doc);
            assertTrue(json.isObject(), doc);
            assertTrue(json.has("location") && json.has("unit"), doc);
            assertTrue(
                    json.get("location")
                                    .asText()
                                    .codePointCount(
                                            0, json.get("location").asText().length())
                            <= 12,
                    doc);
            assertTrue(
                    List.of("celsius", "fahrenheit").contains(json.get("unit").asText()), doc);
            if (json.has("days")) assertTrue(json.get("days").isIntegralNumber(), doc);
            if (json.has("tags")) assertTrue(json.get("tags").size() <= 3, doc);
            if (json.has("note"))
                assertTrue(json.get("note").isNull() || json.get("note").isTextual(), doc);
        }
    }

    /** Picks random allowed bytes, preferring to finish once the document may end or after {@code soft} bytes. */
    static String randomDocument(GrammarState s, SplittableRandom random, int soft) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int n = 0; ; n++) {
            if (s.isComplete() && (random.nextInt(4) == 0 || n > soft)) break;
            List<Integer> allowed = new ArrayList<>();
            List<GrammarState> next = new ArrayList<>();
            for (int b = 0; b < 256; b++) {
                GrammarState t = s.step(b);
                if (t != null) {
                    allowed.add(b);
                    next.add(t);
                }
            }
            if (allowed.isEmpty()) {
                assertTrue(s.isComplete(), "stuck (not viable) after " + out.toString(StandardCharsets.UTF_8));
                break;
            }
            int pick = random.nextInt(allowed.size());
            if (n > soft) { // steer towards closing: prefer structural bytes
                for (int i = 0; i < allowed.size(); i++) {
                    int b = allowed.get(i);
                    if (b == '"' || b == '}' || b == ']' || b == 'n' || b == 't' || b == 'c' || b == 'f') pick = i;
                }
            }
            out.write(allowed.get(pick));
            s = next.get(pick);
            assertTrue(n < 5000, "runaway walk");
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static JsonNode schema(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
