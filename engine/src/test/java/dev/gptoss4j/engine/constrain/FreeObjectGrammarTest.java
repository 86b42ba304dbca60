package dev.gptoss4j.engine.constrain;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** {@code additionalProperties} without declared properties: objects with any keys ({@code json_object}). */
class FreeObjectGrammarTest {

    private static final JsonSchemaGrammar ANY_OBJECT =
            JsonSchemaGrammar.compile("{\"type\":\"object\",\"additionalProperties\":true}");

    @Test
    void anyObjectAcceptsObjectsOfAnyKeysAndNestingOnly() {
        for (String ok : new String[] {
            "{}",
            "{\"a\":1}",
            "{\"a\":1,\"b\":{\"c\":[true,null,\"x\",{\"d\":{}}]}}",
            "{\"\":\"\",\"é\\u00e9\":-1.5e3}",
            "{\"a\":1,\"a\":2}"
        }) {
            assertTrue(ANY_OBJECT.accepts(ok), ok);
        }
        for (String bad : new String[] {
            "[1]", "\"x\"", "1", "{\"a\"}", "{\"a\":1,}", "{a:1}", "{\"a\":}", "{,}", "{\"a\":1}}", "{\"a\":1"
        }) {
            assertFalse(ANY_OBJECT.accepts(bad), bad);
        }
    }

    @Test
    void aSchemaForTheValuesIsEnforcedForEveryKey() {
        JsonSchemaGrammar counts =
                JsonSchemaGrammar.compile("{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\"}}");
        assertTrue(counts.accepts("{\"apples\":3,\"pears\":0}"));
        assertFalse(counts.accepts("{\"apples\":\"three\"}"));
        assertFalse(counts.accepts("{\"apples\":1.5}"));
    }

    @Test
    void withoutAdditionalPropertiesAnEmptyObjectSchemaStillMeansTheEmptyObject() {
        JsonSchemaGrammar empty = JsonSchemaGrammar.compile("{\"type\":\"object\"}");
        assertTrue(empty.accepts("{}"));
        assertFalse(empty.accepts("{\"a\":1}"));
        JsonSchemaGrammar closed = JsonSchemaGrammar.compile("{\"type\":\"object\",\"additionalProperties\":false}");
        assertFalse(closed.accepts("{\"a\":1}"));
    }

    @Test
    void whitespaceBetweenTokensIsBoundedByTheGrammarsLimit() {
        JsonSchemaGrammar spaced = JsonSchemaGrammar.compile(
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .createObjectNode()
                        .put("type", "object")
                        .put("additionalProperties", true),
                1);
        assertTrue(spaced.accepts("{ \"a\" : 1 , \"b\" : [ 2 ] }"));
        assertFalse(spaced.accepts("{  \"a\":1}"), "two spaces where one is allowed");
        assertFalse(ANY_OBJECT.accepts("{ \"a\":1}"), "compact by default");
    }
}
