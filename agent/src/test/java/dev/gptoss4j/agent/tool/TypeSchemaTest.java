package dev.gptoss4j.agent.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.output.structured.Description;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TypeSchemaTest {

    enum Outlook {
        SUNNY,
        RAINY
    }

    @Description("a forecast for one day")
    record Forecast(
            @Description("the city's name") String city,
            int temperature,
            double rain,
            boolean windy,
            Outlook outlook,
            List<String> alerts,
            Map<String, Integer> hourly,
            Optional<String> note,
            LocalDate day,
            Hour[] hours) {}

    record Hour(int at, java.math.BigDecimal mm) {}

    static class Node {
        static int ignoredStatic;
        transient int ignoredTransient;
        String value;
        List<Node> children;
    }

    record Box<T>(T content) {}

    @Test
    void aRecordBecomesAnObjectWithEveryComponentRequired() {
        JsonNode s = Schemas.of(Forecast.class);
        assertEquals(Schemas.parse("""
                {"type":"object","description":"a forecast for one day","properties":{
                  "city":{"type":"string","description":"the city's name"},
                  "temperature":{"type":"integer"},"rain":{"type":"number"},"windy":{"type":"boolean"},
                  "outlook":{"type":"string","enum":["SUNNY","RAINY"]},
                  "alerts":{"type":"array","items":{"type":"string"}},
                  "hourly":{"type":"object","additionalProperties":{"type":"integer"}},
                  "note":{"type":"string"},"day":{"type":"string"},
                  "hours":{"type":"array","items":{"type":"object","properties":{
                    "at":{"type":"integer"},"mm":{"type":"number"}},"required":["at","mm"]}}},
                 "required":["city","temperature","rain","windy","outlook","alerts","hourly","day","hours"]}"""), s);
    }

    @Test
    void aTypeThatContainsItselfIsADefinitionReferredTo() {
        JsonNode s = Schemas.of(Node.class);
        assertEquals(
                "#/$defs/TypeSchemaTest.Node",
                s.at("/properties/children/items/$ref").asText(),
                s.toString());
        assertEquals(s.at("/properties"), s.at("/$defs/TypeSchemaTest.Node/properties"), s.toString());
        assertEquals(
                "[\"value\",\"children\"]", s.get("required").toString(), "static and transient fields are not data");
    }

    @Test
    void whatJsonCannotCarryIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schemas.of(Box.class));
        assertTrue(e.getMessage().contains("type variable T"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Schemas.of(Thread.class));
        assertTrue(e.getMessage().contains("java.lang.Thread"), e.getMessage());
    }
}
