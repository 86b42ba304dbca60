package dev.gptoss4j.serve.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.serve.http.ApiException;
import dev.gptoss4j.serve.http.HttpCall;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** {@code GET /v1/models} and {@code GET /v1/models/{id}}: the one model this server serves. */
public final class Models {

    private final ApiSettings settings;
    private final long created = System.currentTimeMillis() / 1000;

    public Models(ApiSettings settings) {
        this.settings = settings;
    }

    public void list(HttpCall call) {
        ObjectNode root = Fields.JSON.createObjectNode();
        root.put("object", "list");
        root.putArray("data").add(model());
        call.respondJson(200, root.toString());
    }

    public void get(HttpCall call) {
        String id = URLDecoder.decode(call.path().substring("/v1/models/".length()), StandardCharsets.UTF_8);
        if (!id.equals(settings.modelId())) {
            throw ApiException.notFound(
                    "model_not_found",
                    "The model '" + id + "' does not exist; this server " + "serves '" + settings.modelId() + "'");
        }
        call.respondJson(200, model().toString());
    }

    private ObjectNode model() {
        ObjectNode m = Fields.JSON.createObjectNode();
        m.put("id", settings.modelId());
        m.put("object", "model");
        m.put("created", created);
        m.put("owned_by", "gptoss4j");
        return m;
    }
}
