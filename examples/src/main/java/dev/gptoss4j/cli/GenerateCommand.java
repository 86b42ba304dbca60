package dev.gptoss4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gptoss4j.engine.GenerationRequest;
import dev.gptoss4j.engine.GenerationResult;
import dev.gptoss4j.engine.GptOss;
import dev.gptoss4j.engine.Session;
import dev.gptoss4j.engine.SessionOptions;
import dev.gptoss4j.engine.sampling.SamplerConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gptoss generate}: continue a prompt (raw text or token ids) with a model. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Continue a prompt with a model and print the continuation (streamed), or JSON with --json.")
final class GenerateCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ModelOption model = new ModelOption();

    @ArgGroup(exclusive = true, multiplicity = "1")
    Prompt prompt;

    static final class Prompt {
        @Option(
                names = "--prompt",
                paramLabel = "TEXT",
                description = "Prompt text (o200k_harmony models only), used as is.")
        String text;

        @Option(names = "--tokens", paramLabel = "IDS", description = "Prompt token ids, e.g. 1,2,3.")
        String tokens;
    }

    @Option(
            names = "--max-tokens",
            paramLabel = "N",
            defaultValue = "128",
            description = "Most tokens to generate (default ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(
            names = "--temperature",
            paramLabel = "T",
            defaultValue = "0",
            description = "0 = greedy (default ${DEFAULT-VALUE}).")
    float temperature;

    @Option(
            names = "--top-k",
            paramLabel = "K",
            defaultValue = "0",
            description = "Keep the K most likely tokens (0 = off).")
    int topK;

    @Option(
            names = "--top-p",
            paramLabel = "P",
            defaultValue = "1",
            description = "Nucleus sampling threshold (1 = off).")
    float topP;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (reproducible sampling).")
    Long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all processors).")
    int threads;

    @Option(names = "--json", description = "Print {\"tokens\": [...], \"text\": ...} at the end instead of streaming.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (GptOss m = GptOss.load(model.resolve(spec))) {
            TokenText text = TokenText.forModel(m);
            int[] input;
            if (prompt.text != null) {
                if (!text.canEncode()) {
                    throw new IllegalArgumentException(
                            "--prompt needs a model with the " + "o200k_harmony vocabulary; this one has "
                                    + m.config().vocabSize() + " tokens: use --tokens");
                }
                input = text.encode(prompt.text);
            } else {
                input = TokenIds.parse(prompt.tokens);
            }
            if (input.length == 0) throw new IllegalArgumentException("the prompt is empty");
            SamplerConfig.Builder sampler =
                    SamplerConfig.builder().temperature(temperature).topK(topK).topP(topP);
            if (seed != null) sampler.seed(seed);
            int context = Math.min(m.config().maxContext(), Math.max(8192, input.length + maxTokens));
            try (Session s = m.newSession(SessionOptions.builder()
                    .threads(threads)
                    .maxContext(context)
                    .build())) {
                s.prefill(input);
                GenerationRequest request = GenerationRequest.builder()
                        .maxTokens(maxTokens)
                        .sampler(sampler.build())
                        .build();
                // print the text as it grows, holding back a trailing partial UTF-8 character
                java.util.List<Integer> generated = new java.util.ArrayList<>();
                int[] printed = {0};
                GenerationResult result = s.generate(request, (token, logprob) -> {
                    if (json) return;
                    if (!text.canDecode()) {
                        out.print(token + " ");
                    } else {
                        generated.add(token);
                        String all = text.decode(
                                generated.stream().mapToInt(Integer::intValue).toArray());
                        int end = all.endsWith("\uFFFD") ? all.length() - 1 : all.length();
                        if (end > printed[0]) {
                            out.print(all.substring(printed[0], end));
                            printed[0] = end;
                        }
                    }
                    out.flush();
                });
                if (json) {
                    ObjectMapper mapper = new ObjectMapper();
                    ObjectNode node = mapper.createObjectNode();
                    var ids = node.putArray("tokens");
                    for (int t : result.tokens()) ids.add(t);
                    if (text.canDecode()) node.put("text", text.decode(result.tokens()));
                    node.put("stop", result.finishReason().name().toLowerCase(java.util.Locale.ROOT));
                    out.println(mapper.writeValueAsString(node));
                } else {
                    out.println();
                }
            }
        }
        return 0;
    }
}
