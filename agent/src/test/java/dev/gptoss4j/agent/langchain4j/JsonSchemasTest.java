package dev.gptoss4j.agent.langchain4j;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gptoss4j.agent.tool.Schemas;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import org.junit.jupiter.api.Test;

class JsonSchemasTest {

    @Test
    void typedElementsWhereTheySayTheSameRawOnesWhereTheyWouldLoseKeywords() {
        JsonNode schema = Schemas.parse("""
                {"type":"object","description":"a query","properties":{
                  "count":{"type":"integer","description":"how many"},
                  "unit":{"type":"string","enum":["c","f"]},
                  "tags":{"type":"array","items":{"type":"string"}},
                  "when":{"type":"string","format":"date"},
                  "limit":{"type":"integer","minimum":1,"maximum":10},
                  "maybe":{"type":["string","null"]},
                  "where":{"anyOf":[{"type":"string"},{"$ref":"#/$defs/Point"}]}},
                 "required":["count"],
                 "$defs":{"Point":{"type":"object","properties":{"x":{"type":"number"}},"required":["x"]}}}""");
        JsonObjectSchema o = JsonSchemas.toObjectSchema(schema);
        assertEquals("a query", o.description());
        assertInstanceOf(JsonIntegerSchema.class, o.properties().get("count"));
        assertInstanceOf(JsonEnumSchema.class, o.properties().get("unit"));
        assertInstanceOf(JsonRawSchema.class, o.properties().get("when"));
        assertInstanceOf(JsonRawSchema.class, o.properties().get("limit"));
        assertInstanceOf(JsonRawSchema.class, o.properties().get("maybe"));
        // and back to JSON, nothing is lost
        assertEquals(schema, JsonSchemas.toJson(o));
    }

    @Test
    void nonObjectToolParametersAreRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> JsonSchemas.toObjectSchema(Schemas.parse("{\"type\":\"string\"}")));
        assertTrue(e.getMessage().contains("type object"), e.getMessage());
        assertNull(JsonSchemas.toObjectSchema(null));
        JsonSchemaElement any = JsonSchemas.toElement(Schemas.parse("{}"));
        assertInstanceOf(JsonRawSchema.class, any);
    }
}
