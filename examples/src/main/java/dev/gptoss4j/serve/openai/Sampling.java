package dev.gptoss4j.serve.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gptoss4j.agent.backend.SamplingParameters;
import dev.gptoss4j.serve.http.ApiException;

/**
 * A request's sampling parameters ({@code temperature}, {@code top_p}, {@code top_k}, {@code presence_penalty},
 * {@code frequency_penalty}, {@code seed}), the same in chat completions and responses: absent ones keep the
 * server's settings; out-of-range ones are a 400 naming the field.
 */
final class Sampling {

    private Sampling() {}

    static SamplingParameters parse(JsonNode req) {
        Double temperature = Fields.optDouble(req, "temperature", null);
        if (temperature != null && !(temperature >= 0 && temperature <= 2)) {
            throw ApiException.badRequest("temperature", "'temperature' must be between 0 and 2, got " + temperature);
        }
        Double topP = Fields.optDouble(req, "top_p", null);
        if (topP != null && !(topP > 0 && topP <= 1)) {
            throw ApiException.badRequest("top_p", "'top_p' must be in (0, 1], got " + topP);
        }
        Integer topK = Fields.optInt(req, "top_k", null, -1);
        if (topK != null && topK == -1) topK = 0; // vLLM's "off"
        Double presence = penalty(req, "presence_penalty");
        Double frequency = penalty(req, "frequency_penalty");
        Long seed = Fields.optLong(req, "seed", null);
        return new SamplingParameters(temperature, topP, topK, presence, frequency, seed);
    }

    private static Double penalty(JsonNode req, String field) {
        Double p = Fields.optDouble(req, field, null);
        if (p != null && !(p >= -2 && p <= 2)) {
            throw ApiException.badRequest(field, "'" + field + "' must be between -2 and 2, got " + p);
        }
        return p;
    }
}
