package dev.gptoss4j.engine.harmony;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Schema shapes beyond the fixtures, with the output worked out from openai/harmony's src/encoding.rs. */
class SchemaTypeScriptTest {

    private static String ts(String schema) {
        return SchemaTypeScript.render(HarmonyRendererConformanceTest.json(schema));
    }

    @Test
    void nestedObjectsArraysAndScalars() {
        // The reference repeats a nested object's description inside its type, indented: the model saw that.
        assertEquals("""
                {
                // the place
                where:     // the place
                {
                    city: string,
                    zip?: number,
                    },
                tags?: string[],
                matrix?: number[][],
                anything?: Array<any>,
                flag?: boolean, // default: true
                }""", ts("""
                {"type": "object", "required": ["where"], "properties": {
                  "where": {"type": "object", "description": "the place", "required": ["city"],
                            "properties": {"city": {"type": "string"}, "zip": {"type": "integer"}}},
                  "tags": {"type": "array", "items": {"type": "string"}},
                  "matrix": {"type": "array", "items": {"type": "array", "items": {"type": "number"}}},
                  "anything": {"type": "array"},
                  "flag": {"type": "boolean", "default": true}}}"""));
    }

    @Test
    void typeArraysAnyOfAndUnknownTypes() {
        assertEquals("number | string | null", ts("{\"type\": [\"integer\", \"string\", \"null\"]}"));
        assertEquals("any", ts("{\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"number\"}]}"));
        assertEquals("any", ts("{\"type\": \"null\"}"));
        assertEquals("any", ts("{}"));
        assertEquals("\"a\" | \"b\"", ts("{\"type\": \"string\", \"enum\": [\"a\", \"b\"]}"));
    }

    @Test
    void topLevelOneOfWithNullableAndDefaults() {
        assertEquals("\n | string | null // a name default: \"x\"\n | number // default: 3", ts("""
                        {"oneOf": [{"type": "string", "nullable": true, "description": "a name", "default": "x"},
                                   {"type": "number", "default": 3}]}"""));
    }

    @Test
    void propertyOneOfDeduplicatesTheDescription() {
        assertEquals("""
                {
                v?:
                 | string
                 | number // other
                ,
                }""", ts("""
                {"type": "object", "properties": {"v": {"description": "same",
                  "oneOf": [{"type": "string", "description": "same"}, {"type": "number", "description": "other"}]}}}"""));
    }

    @Test
    void enumDefaultIsUnquoted() {
        assertEquals(
                "{\nunit?: \"c\" | \"f\", // default: c\n}",
                ts(
                        "{\"type\": \"object\", \"properties\": {\"unit\": {\"type\": \"string\", \"enum\": [\"c\", \"f\"], \"default\": \"c\"}}}"));
    }
}
