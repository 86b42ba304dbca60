package dev.gptoss4j.agent.vision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.agent.remote.HttpCallException;
import dev.gptoss4j.agent.remote.HttpSettings;
import dev.gptoss4j.agent.remote.OpenAiClient;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A vision model behind the OpenAI API or any server that speaks it (vLLM with a vision model, Ollama, a proxy),
 * through the Chat Completions API ({@code image_url} parts) or the Responses API ({@code input_image} parts).
 * Images go as {@code data:} URLs, or as their own URL for remote images; too-big images are downscaled first
 * ({@link ImageLimits}).
 *
 * <pre>{@code
 * VisionModel vision = OpenAiVisionModel.builder().apiKey(key).model("gpt-4o-mini").build();
 * VisionModel fromEnv = OpenAiVisionModel.fromEnvironment(); // OPENAI_API_KEY, OPENAI_BASE_URL, ...
 * }</pre>
 */
public final class OpenAiVisionModel implements VisionModel {

    /** Where requests go unless told otherwise. */
    public static final String OPENAI_BASE_URL = "https://api.openai.com/v1";
    /** The model used unless told otherwise: small, cheap, and sees images. */
    public static final String DEFAULT_MODEL = "gpt-4o-mini";

    /** Which OpenAI API carries the request. */
    public enum Api {
        /** {@code POST /chat/completions}: the one every OpenAI-compatible server has. */
        CHAT,
        /** {@code POST /responses}: OpenAI's newer API. */
        RESPONSES;

        public static Api parse(String text) {
            for (Api a : values()) if (a.name().equalsIgnoreCase(text.strip())) return a;
            throw new IllegalArgumentException("unknown vision API '" + text + "' (expected chat or responses)");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenAiClient client;
    private final String model;
    private final Api api;
    private final ImageLimits limits;
    private final String detail;
    private final Integer maxOutputTokens;

    private OpenAiVisionModel(Builder b) {
        if (b.model == null || b.model.isBlank())
            throw new IllegalArgumentException("a vision model needs a model name");
        String base = b.baseUrl == null || b.baseUrl.isBlank() ? OPENAI_BASE_URL : b.baseUrl;
        if ((b.apiKey == null || b.apiKey.isBlank()) && base.startsWith(OPENAI_BASE_URL)) {
            throw new IllegalArgumentException("no API key for " + OPENAI_BASE_URL
                    + ": set OPENAI_API_KEY or give one to the builder (--vision-api-key)");
        }
        this.client = new OpenAiClient(base, b.apiKey, b.settings);
        this.model = b.model;
        this.api = b.api;
        this.limits = b.limits;
        this.detail = b.detail;
        this.maxOutputTokens = b.maxOutputTokens;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Configured from the process environment; see {@link #fromEnvironment(Map)}. */
    public static OpenAiVisionModel fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * Configured from environment variables: {@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL} (default
     * {@value #OPENAI_BASE_URL}), {@code GPTOSS_VISION_MODEL} (default {@value #DEFAULT_MODEL}) and
     * {@code GPTOSS_VISION_API} ({@code chat} or {@code responses}, default chat).
     */
    public static OpenAiVisionModel fromEnvironment(Map<String, String> env) {
        return builder().fromEnvironment(env).build();
    }

    @Override
    public String analyze(Image image, String question) {
        Image sent = limits.fitForQuestion(image, question);
        try {
            return api == Api.CHAT ? chat(sent, question) : responses(sent, question);
        } catch (HttpCallException e) {
            throw new VisionException("vision model " + model + ": " + e.getMessage(), e);
        }
    }

    private String chat(Image image, String question) {
        ObjectNode body = JSON.createObjectNode().put("model", model);
        ArrayNode content =
                body.putArray("messages").addObject().put("role", "user").putArray("content");
        content.addObject().put("type", "text").put("text", question);
        ObjectNode url = content.addObject().put("type", "image_url").putObject("image_url");
        url.put("url", image.urlOrDataUrl());
        if (detail != null) url.put("detail", detail);
        if (maxOutputTokens != null) body.put("max_completion_tokens", maxOutputTokens);
        JsonNode answer = client.post("/chat/completions", body);
        JsonNode message = answer.path("choices").path(0).path("message");
        JsonNode text = message.path("content");
        if (text.isTextual() && !text.asText().isBlank()) return text.asText();
        if (text.isArray()) { // some servers answer with content parts
            StringBuilder sb = new StringBuilder();
            text.forEach(p -> sb.append(p.path("text").asText("")));
            if (!sb.isEmpty()) return sb.toString();
        }
        if (message.path("refusal").isTextual()) {
            throw new VisionException("vision model " + model + " refused: "
                    + message.get("refusal").asText());
        }
        throw new VisionException("vision model " + model + " at " + client.baseUrl()
                + "/chat/completions gave no text (expected choices[0].message.content): " + snippet(answer));
    }

    private String responses(Image image, String question) {
        ObjectNode body = JSON.createObjectNode().put("model", model);
        ArrayNode content =
                body.putArray("input").addObject().put("role", "user").putArray("content");
        content.addObject().put("type", "input_text").put("text", question);
        ObjectNode img = content.addObject().put("type", "input_image").put("image_url", image.urlOrDataUrl());
        if (detail != null) img.put("detail", detail);
        if (maxOutputTokens != null) body.put("max_output_tokens", maxOutputTokens);
        JsonNode answer = client.post("/responses", body);
        if (answer.hasNonNull("error") && answer.get("error").isObject()) {
            throw new VisionException("vision model " + model + " failed: "
                    + client.redact(answer.get("error")
                            .path("message")
                            .asText(answer.get("error").toString())));
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode item : answer.path("output")) {
            if (!"message".equals(item.path("type").asText())) continue;
            for (JsonNode part : item.path("content")) {
                if ("output_text".equals(part.path("type").asText()))
                    sb.append(part.path("text").asText(""));
                if ("refusal".equals(part.path("type").asText())) {
                    throw new VisionException("vision model " + model + " refused: "
                            + part.path("refusal").asText());
                }
            }
        }
        if (!sb.isEmpty()) return sb.toString();
        throw new VisionException("vision model " + model + " at " + client.baseUrl() + "/responses gave no text "
                + "(expected output[].content[] of type output_text; status "
                + answer.path("status").asText("?")
                + "): " + snippet(answer));
    }

    private String snippet(JsonNode n) {
        String s = client.redact(n.toString());
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    @Override
    public String name() {
        return "openai " + model + " (" + api.name().toLowerCase(Locale.ROOT) + " API at " + client.baseUrl() + ")";
    }

    @Override
    public String toString() {
        return "OpenAiVisionModel[" + name() + "]";
    }

    public static final class Builder {
        private String baseUrl;
        private String apiKey;
        private String model = DEFAULT_MODEL;
        private Api api = Api.CHAT;
        private ImageLimits limits = ImageLimits.defaults();
        private HttpSettings settings = HttpSettings.defaults();
        private String detail;
        private Integer maxOutputTokens;

        private Builder() {}

        /** Reads {@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL}, {@code GPTOSS_VISION_MODEL}, {@code GPTOSS_VISION_API}. */
        public Builder fromEnvironment(Map<String, String> env) {
            if (env.get("OPENAI_API_KEY") != null) apiKey = env.get("OPENAI_API_KEY");
            if (env.get("OPENAI_BASE_URL") != null) baseUrl = env.get("OPENAI_BASE_URL");
            if (env.get("GPTOSS_VISION_MODEL") != null) model = env.get("GPTOSS_VISION_MODEL");
            if (env.get("GPTOSS_VISION_API") != null) api = Api.parse(env.get("GPTOSS_VISION_API"));
            return this;
        }

        /** The API root ({@value #OPENAI_BASE_URL} by default), such as {@code http://localhost:8000/v1}. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        public Builder model(String model) {
            this.model = model;
            return this;
        }

        public Builder api(Api api) {
            this.api = Objects.requireNonNull(api, "api");
            return this;
        }

        public Builder limits(ImageLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        public Builder settings(HttpSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** OpenAI's {@code detail}: {@code low}, {@code high} or {@code auto}; unset leaves it to the server. */
        public Builder detail(String detail) {
            this.detail = detail;
            return this;
        }

        /** Caps the answer's length; unset leaves it to the server. */
        public Builder maxOutputTokens(int max) {
            this.maxOutputTokens = max;
            return this;
        }

        public OpenAiVisionModel build() {
            return new OpenAiVisionModel(this);
        }
    }
}
