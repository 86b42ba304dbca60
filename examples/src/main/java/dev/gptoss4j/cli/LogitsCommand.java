package dev.gptoss4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.engine.GptOss;
import dev.gptoss4j.engine.Session;
import dev.gptoss4j.engine.SessionOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gptoss logits}: the model's logits for given tokens, as JSON. */
@Command(
        name = "logits",
        mixinStandardHelpOptions = true,
        description = "Print a model's logits for token ids as JSON: {\"logits\": [[...]]} (last position, or every "
                + "position with --all-positions), or the top K ids and values with --top.")
final class LogitsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ModelOption model = new ModelOption();

    @Option(names = "--tokens", paramLabel = "IDS", required = true, description = "Token ids, e.g. 1,2,3.")
    String tokens;

    @Option(names = "--all-positions", description = "Logits after every token, not only the last.")
    boolean allPositions;

    @Option(
            names = "--top",
            paramLabel = "K",
            description = "Only the K largest logits per position, as {\"id\", \"logit\"} pairs.")
    int top;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all processors).")
    int threads;

    @Override
    public Integer call() throws Exception {
        int[] tokens = TokenIds.parse(this.tokens);
        ObjectMapper json = new ObjectMapper();
        ObjectNode out = json.createObjectNode();
        ArrayNode rows = out.putArray(top > 0 ? "top" : "logits");
        try (GptOss m = GptOss.load(model.resolve(spec));
                Session s = m.newSession(SessionOptions.builder()
                        .threads(threads)
                        .maxContext(Math.max(
                                tokens.length, Math.min(8192, m.config().maxContext())))
                        .build())) {
            for (int i = 0; i < tokens.length; i++) {
                s.append(tokens[i]);
                if (!allPositions && i < tokens.length - 1) continue;
                float[] logits = s.logits();
                ArrayNode row = rows.addArray();
                if (top > 0) {
                    for (int id : topIds(logits, top))
                        row.addObject().put("id", id).put("logit", logits[id]);
                } else {
                    for (float v : logits) row.add(v);
                }
            }
        }
        spec.commandLine().getOut().println(json.writeValueAsString(out));
        return 0;
    }

    static int[] topIds(float[] logits, int k) {
        k = Math.min(k, logits.length);
        int[] ids = new int[k];
        boolean[] taken = new boolean[logits.length];
        for (int r = 0; r < k; r++) {
            int best = -1;
            for (int i = 0; i < logits.length; i++) if (!taken[i] && (best < 0 || logits[i] > logits[best])) best = i;
            taken[best] = true;
            ids[r] = best;
        }
        return ids;
    }
}
