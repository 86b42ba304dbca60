package dev.gptoss4j.cli;

import dev.gptoss4j.agent.backend.Backend;
import dev.gptoss4j.agent.remote.ChatCompletionsBackend;
import dev.gptoss4j.agent.remote.CompletionsBackend;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Options of {@code gptoss run} for a remote OpenAI-compatible server (vLLM, Ollama, OpenAI...). */
final class RemoteOptions {

    @Option(
            names = "--base-url",
            paramLabel = "URL",
            description = "Drive a remote OpenAI-compatible server, such as http://localhost:8000/v1 (--model names "
                    + "the served model).")
    String baseUrl;

    @Option(
            names = "--api-key",
            paramLabel = "KEY",
            description = "API key for --base-url (default: $GPTOSS_API_KEY; none if unset).")
    String apiKey;

    @Option(
            names = "--api",
            paramLabel = "chat|completions",
            description = "chat: /v1/chat/completions, the server parses harmony (default); completions: "
                    + "/v1/completions with our own harmony rendering and parsing (vLLM).")
    String api = "chat";

    @Option(
            names = "--context-window",
            paramLabel = "TOKENS",
            description = "The served model's context window (vLLM's --max-model-len), so that long runs are "
                    + "trimmed to fit; unset, a server's 'too long' answer stops the run (CONTEXT_FULL).")
    Integer contextWindow;

    boolean remote() {
        return baseUrl != null;
    }

    Backend backend(String model) {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("--base-url needs --model NAME (the model the server serves)");
        }
        String key = apiKey != null ? apiKey : System.getenv("GPTOSS_API_KEY");
        if (contextWindow != null && contextWindow <= 0) {
            throw new IllegalArgumentException(
                    "--context-window must be a positive number of tokens, got " + contextWindow);
        }
        return switch (api.toLowerCase(Locale.ROOT)) {
            case "chat" -> {
                var b = ChatCompletionsBackend.builder()
                        .baseUrl(baseUrl)
                        .apiKey(key)
                        .model(model);
                if (contextWindow != null) b.contextWindow(contextWindow);
                yield b.build();
            }
            case "completions" -> {
                var b = CompletionsBackend.builder()
                        .baseUrl(baseUrl)
                        .apiKey(key)
                        .model(model);
                if (contextWindow != null) b.contextWindow(contextWindow);
                yield b.build();
            }
            default ->
                throw new IllegalArgumentException("--api: unknown API '" + api + "' (expected chat or completions)");
        };
    }
}
